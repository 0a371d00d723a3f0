import { DomainError } from "@msp/errors";
import { plantedSecrets } from "@msp/redaction/src/testing";
import { CommandRunSchema } from "@msp/proto/src/gen/es/msp/work/v1/command_run_pb";
import { ExternalIntegrationSchema } from "@msp/proto/src/gen/es/msp/work/v1/external_integration_pb";
import { MachineSchema } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { TicketLinkSchema } from "@msp/proto/src/gen/es/msp/work/v1/ticket_link_pb";
import { toStored } from "./codec";
import type { FieldInfo } from "./fields";
import { describeFields } from "./fields";

const sessionFields = describeFields(SessionSchema, { decimals: { billable_hours: 2, billable_amount: 2 } });
const commandFields = describeFields(CommandRunSchema, { maxLength: { shell_type: 64 }, signed: ["exit_code"] });
const uuid = "0190c2d6-5c1a-7b3e-8f00-1234567890ab";
const planted = plantedSecrets();

function freeTextNames(fields: readonly FieldInfo[]): string[] {
  return fields.filter((f) => f.freeText).map((f) => f.name);
}

describe("which fields are free text", () => {
  it("is every text, list and JSON field, but no id, enum, number, flag or timestamp", () => {
    expect(freeTextNames(sessionFields)).toEqual(["title", "summary", "technician", "tags", "etag"]);
    expect(freeTextNames(commandFields)).toEqual([
      "command_text",
      "host",
      "shell_type",
      "output_summary",
      "error_message",
      "resolution",
      "etag",
    ]);
    expect(freeTextNames(describeFields(ExternalIntegrationSchema))).toEqual(
      expect.arrayContaining(["integration_type", "external_url", "request_data", "response_data"]),
    );
    expect(freeTextNames(describeFields(MachineSchema))).toEqual(
      expect.arrayContaining(["hostname", "fingerprint", "notes", "capabilities", "installed_tools"]),
    );
    // Another system's ids (external_*, foreignIds) are ids too.
    expect(freeTextNames(describeFields(TicketLinkSchema, { foreignIds: ["ticket_id"] }))).not.toContain("ticket_id");
    expect(freeTextNames(sessionFields)).not.toContain("external_session_id");
  });
});

describe("toStored redacts free text", () => {
  it("replaces every planted secret kind with its marker, and keeps the prose around it", () => {
    for (const secret of planted) {
      const stored = toStored(sessionFields, { summary: `Fixed the backup.\n${secret.line}\nAll green.`, title: "Backup" }, "session");
      const summary = String(stored["summary"]);
      expect([secret.kind, summary.includes(secret.secret)]).toEqual([secret.kind, false]);
      expect(summary).toMatch(/\[REDACTED:[a-z_]+\]/);
      expect(summary.startsWith("Fixed the backup.\n")).toBe(true);
      expect(summary.endsWith("\nAll green.")).toBe(true);
    }
  });

  it("redacts lists and JSON item by item, and a secret one field sets where another repeats it", () => {
    const github = planted.find((p) => p.kind === "github_token")!;
    const mysql = planted.find((p) => p.line.startsWith("mysql -u root -p") && !p.line.includes("-p'"))!;
    const command = toStored(
      commandFields,
      { sessionId: uuid, commandText: mysql.line, outputSummary: `ERROR 1045: Access denied (password ${mysql.secret})` },
      "command_run",
    );
    expect(command["command_text"]).toBe(`mysql -u root -p[REDACTED:password] acme_prod -e "SHOW TABLES"`);
    expect(command["output_summary"]).toBe("ERROR 1045: Access denied (password [REDACTED:password])");

    const session = toStored(sessionFields, { tags: ["backup", github.secret] }, "session");
    expect(session["tags"]).toEqual(["backup", "[REDACTED:github_token]"]);

    const integration = toStored(
      describeFields(ExternalIntegrationSchema),
      {
        requestData: { ticket: { subject: "VPN", note: github.line }, password: "hunter2-Winter" },
        externalUrl: "https://psa.acme.test/t/42",
      },
      "external_integration",
    );
    expect(integration["request_data"]).toEqual({
      ticket: { subject: "VPN", note: "export GITHUB_TOKEN=[REDACTED:github_token]" },
      password: "[REDACTED:password]",
    });
    expect(integration["external_url"]).toBe("https://psa.acme.test/t/42");
  });

  it("keeps structured values as sent: ids, hosts, addresses, plain URLs; takes the password out of a URL", () => {
    const stored = toStored(
      commandFields,
      { sessionId: uuid, commandText: "ping -c 3 10.20.0.15 && nslookup dc01.contoso.local", host: "web01.acme.test", shellType: "bash" },
      "command_run",
    );
    expect(stored).toMatchObject({
      session_id: uuid,
      command_text: "ping -c 3 10.20.0.15 && nslookup dc01.contoso.local",
      host: "web01.acme.test",
      shell_type: "bash",
    });
    const url = planted.find((p) => p.kind === "basic_auth_url")!;
    const fingerprint = "sha256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
    const machine = toStored(describeFields(MachineSchema), { notes: url.line, fingerprint, hostname: "LAPTOP-7" }, "machine");
    expect(machine["notes"]).toBe("git clone https://deploy:[REDACTED:basic_auth_url]@git.acme.test/infra/ansible.git");
    expect(machine).toMatchObject({ fingerprint, hostname: "LAPTOP-7" });
  });

  it("refuses, naming the field, a value that outgrows its limit by the markers", () => {
    const short = describeFields(SessionSchema, { maxLength: { title: 30 } });
    const error = (() => {
      try {
        toStored(short, { title: "DB_PASSWORD=Winter-2026-x" }, "session");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).violations).toEqual([
      { field: "session.title", description: "must be at most 30 characters once its secrets are redacted (got 31)" },
    ]);
  });
});

import { randomBytes } from "node:crypto";
import { createAuthenticator } from "@msp/auth";
import type { Principal } from "@msp/auth";
import { DomainError } from "@msp/errors";
import type { Handlers, RunningGrpcServer } from "@msp/grpc-kit";
import { serviceOf, startGrpcServer } from "@msp/grpc-kit";
import { createLogger } from "@msp/logging";
import type { TestService } from "@msp/testing";
import { call, connect, freePort, startTestService, withSlowness } from "@msp/testing";
import type { CredentialReference, FindCredentialReferencesRequest } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialServiceService, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import type { DeepPartial } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { IngestRequest, MemoryServiceClient, RecallRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { ContextSnippet, ContextSnippetServiceClient, SnippetCategory } from "@msp/proto/src/gen/ts/msp/recall/v1/context_snippet";
import { recallModule } from "../recall-module";
import { storedTexts } from "./stored-text";
import { TranscriptWriter } from "./transcript-records";

// Memory points to the vault, never holds a secret: a session whose redacted secret was used on a
// host the vault holds a credential for is recalled with that credential's name, id and reveal
// command. The vault here is a CredentialService on a real gRPC server with the platform's
// authenticator and the method policies of the protos (the vault service itself is another app,
// which this app's code may not import: the end-to-end test runs the real one).

jest.setTimeout(withSlowness(30_000));

const client = "0190f5c8-0000-7000-8000-00000000c301";
const otherClient = "0190f5c8-0000-7000-8000-00000000c302";
const project = "0190f5c8-0000-7000-8000-00000000a301";
const otherProject = "0190f5c8-0000-7000-8000-00000000a302";
const scope = { projectId: project, clientId: client, machineName: "LAPTOP-3", repository: "git@github.com:Contoso/infra.git" };
const secret = "Winter2025!dc01Adm";

/** The credentials the fake vault holds, by client: what FindCredentialReferences matches by host or account. */
const vaultCredentials: Record<string, CredentialReference[]> = {
  [client]: [
    reference("0190f5c8-0000-7000-8000-0000000000d1", "Contoso DC01 domain admin", "dc01", "administrator"),
    reference("0190f5c8-0000-7000-8000-0000000000d2", "Contoso SQL01 sa", "sql01", "sa"),
    reference("0190f5c8-0000-7000-8000-0000000000d3", "Contoso firewall", "fw01", "admin"),
  ],
  [otherClient]: [reference("0190f5c8-0000-7000-8000-0000000000e1", "Fabrikam DC01 admin", "dc01", "administrator")],
};
const [dc01, sql01, fw01] = vaultCredentials[client]!;

function reference(id: string, name: string, host: string, username: string): CredentialReference {
  return { id, name, host, username, credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD, matched: "" };
}

type VaultMode = "answer" | "refuse" | "hang";
let mode: VaultMode = "answer";
const asked: { request: FindCredentialReferencesRequest; caller: Principal | undefined }[] = [];

/** The part of the vault's CredentialService this feature uses; every other method is refused. */
function vaultHandlers(): Handlers<typeof CredentialServiceService> {
  const refused = () => Promise.reject(new DomainError("unimplemented", "not in this test"));
  const handlers = Object.fromEntries(Object.keys(CredentialServiceService).map((name) => [name, refused]));
  return {
    ...(handlers as unknown as Handlers<typeof CredentialServiceService>),
    findCredentialReferences: (request, ctx) => {
      asked.push({ request, caller: ctx.auth });
      if (mode === "refuse") return Promise.reject(new DomainError("permission_denied", "not for you"));
      if (mode === "hang") return new Promise(() => undefined);
      const hosts = new Set(request.hosts.map((h) => h.toLowerCase()));
      const users = new Set(request.usernames.map((u) => u.toLowerCase()));
      const references = (vaultCredentials[request.clientId] ?? []).filter((r) => hosts.has(r.host) || users.has(r.username));
      return Promise.resolve({ references });
    },
  };
}

const jwtSecret = randomBytes(32).toString("hex");
const logger = createLogger({ service: "vault-service", level: "silent" });
let vault: RunningGrpcServer;
let recall: TestService;
let memory: MemoryServiceClient;
let snippets: ContextSnippetServiceClient;

beforeAll(async () => {
  vault = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [serviceOf(CredentialServiceService, vaultHandlers(), "vault-service", logger)],
    authenticator: createAuthenticator({ secret: jwtSecret, revocation: { isRevoked: () => Promise.resolve(false) } }),
    logger,
    shutdownGraceMs: 100,
  });
  recall = await startTestService(recallModule, { secret: jwtSecret, peers: { "vault-service": [`127.0.0.1:${vault.port}`] } });
  memory = connect(MemoryServiceClient, recall);
  snippets = connect(ContextSnippetServiceClient, recall);
});
afterAll(async () => {
  memory?.close();
  snippets?.close();
  await recall?.stop();
  await vault?.shutdown();
});
beforeEach(() => {
  mode = "answer";
  asked.length = 0;
});

let keys = 0;
const ingest = (partial: DeepPartial<IngestRequest>) =>
  call(memory, "ingest", IngestRequest.fromPartial({ idempotencyKey: `machine-1:cred:${++keys}`, trigger: "stop", ...partial }));
/** What Claude is shown at the start of a session in this scope (or for a prompt, with a query). */
const shown = async (recallScope: DeepPartial<RecallRequest>["scope"], query = "") =>
  (await call(memory, "recall", RecallRequest.fromPartial({ scope: recallScope, query }))).text;
const revealOf = (id: string) => `msp cred reveal ${id} --reason "<why you need it>"`;
const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** A session on the client's domain controller: the password typed into an sshpass command, redacted on the way in. */
function dcSession(sessionId: string, extra = 0): string {
  const w = new TranscriptWriter({ sessionId, cwd: "/home/tech/contoso-infra" });
  w.prompt("Check AD replication on dc01 for Contoso; the last sync failed.")
    .bash(
      `sshpass -p '${secret}' ssh administrator@dc01 'repadmin /replsummary'`,
      "Beginning data collection for replication summary...\n0 fails",
    )
    .say("Replication on dc01 is healthy again: 0 failures across both partners.");
  for (let i = 0; i < extra; i++) w.bash(`ssh administrator@dc01 'Get-ADReplicationFailure dc0${i % 3}'`, "no failures");
  return w.jsonl();
}

describe("credential references: memory points to the vault entry of a redacted secret", () => {
  it("shows Claude the credential's name, id and reveal command for the host the secret was used on, never the secret", async () => {
    const answer = await ingest({ scope, claudeSessionId: "cred-dc01-1", transcript: dcSession("cred-dc01-1") });
    expect(answer.status).toBe("stored");

    // The vault was asked, as the user through the recall service, about the host and account; never with the secret.
    expect(asked).toHaveLength(1);
    expect(asked[0]!.request).toEqual({ clientId: client, hosts: ["dc01"], usernames: ["administrator"] });
    expect(asked[0]!.caller).toMatchObject({ kind: "service", service: "recall-service", username: "test-admin" });
    expect(asked[0]!.caller?.scopes).toEqual(expect.arrayContaining(["vault:read"]));
    expect(JSON.stringify(asked)).not.toContain(secret);

    const text = await shown({ projectId: project, clientId: client });
    expect(text).toContain(`vault credential "Contoso DC01 domain admin" (password for administrator@dc01)`);
    expect(text).toContain(dc01!.id);
    expect(text).toContain(revealOf(dc01!.id));
    expect(text).not.toContain(secret);
    // Only the credential of the host the secret was used on: not the client's others, not another client's.
    for (const other of [sql01!, fw01!, vaultCredentials[otherClient]![0]!]) expect(text).not.toContain(other.id);
    // The pointer comes right after the project state, before the session's own memory.
    const lines = text.split("\n");
    expect(lines.findIndex((l) => l.includes(dc01!.id))).toBeLessThanOrEqual(3);

    // Nothing the service stored holds the secret (every text column of every table).
    const leaks = (await storedTexts(recall.service.db)).filter((t) => t.text.includes(secret));
    expect(leaks.map((t) => t.where)).toEqual([]);
  });

  it("reaches every session of the client, even a project with many newer snippets, and a prompt naming the host", async () => {
    const busy = new TranscriptWriter({ sessionId: "cred-busy", cwd: "/home/tech/contoso-web" });
    busy.prompt("Tidy the web server's logs for Contoso.");
    for (let i = 0; i < 45; i++) busy.bash(`ssh web01 'sudo journalctl --vacuum-time=${i + 1}d'`, `Vacuuming done, freed ${i}M`);
    const otherScope = { ...scope, projectId: otherProject, repository: "git@github.com:Contoso/web.git" };
    expect((await ingest({ scope: otherScope, claudeSessionId: "cred-busy", transcript: busy.jsonl() })).status).toBe("stored");
    expect(asked).toHaveLength(0);

    expect(await shown({ projectId: otherProject, clientId: client })).toContain(revealOf(dc01!.id));
    expect(await shown({ clientId: client })).toContain(revealOf(dc01!.id));
    expect(await shown({ clientId: client }, "log in to dc01 and reset the replication")).toContain(revealOf(dc01!.id));
    // Another client's sessions never see it.
    expect(await shown({ clientId: otherClient })).not.toContain(dc01!.id);
  });

  it("looks up text the machine already redacted (markers only) the same way", async () => {
    const w = new TranscriptWriter({ sessionId: "cred-sql01" });
    w.prompt("Back up the CRM database on sql01.")
      .bash("sqlcmd -S sql01 -U sa -P [REDACTED:password] -Q 'BACKUP DATABASE crm TO DISK = N''D:\\bak\\crm.bak'''", "Processed 1024 pages")
      .say("The CRM backup on sql01 is done.");
    expect((await ingest({ scope, claudeSessionId: "cred-sql01", transcript: w.jsonl() })).status).toBe("stored");
    expect(asked.map((a) => a.request)).toEqual([{ clientId: client, hosts: ["sql01"], usernames: ["sa"] }]);
    expect(await shown({ projectId: project, clientId: client })).toContain(revealOf(sql01!.id));
  });

  it("keeps one pointer per credential: a longer save of the session and another session finding it again add none", async () => {
    await ingest({ scope, claudeSessionId: "cred-dc01-1", transcript: dcSession("cred-dc01-1", 3) });
    const otherScope = { ...scope, projectId: otherProject, repository: "git@github.com:Contoso/web.git" };
    await ingest({ scope: otherScope, claudeSessionId: "cred-dc01-2", transcript: dcSession("cred-dc01-2") });
    expect(asked).toHaveLength(2);
    for (const recallScope of [
      { projectId: project, clientId: client },
      { projectId: otherProject, clientId: client },
    ]) {
      expect(occurrences(await shown(recallScope), revealOf(dc01!.id))).toBe(1);
    }
    const rows = await recall.service.db.select<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM context_snippets WHERE category = 'credential_reference' AND content_hash IN (SELECT content_hash FROM context_snippets WHERE dense_content LIKE ?)",
      [`%${dc01!.id}%`],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it("shows a credential_reference written through the API as its pointer too, never its own text", async () => {
    const id = "0190f5c8-0000-7000-8000-0000000000d7";
    const created = await call(snippets, "createContextSnippet", {
      contextSnippet: ContextSnippet.fromPartial({
        clientId: client,
        category: SnippetCategory.SNIPPET_CATEGORY_CREDENTIAL_REFERENCE,
        title: "Backup NAS admin",
        denseContent: "The NAS admin login; ask Mike before using it, the old one was rotated in March.",
        structuredData: { credential_id: id, name: "Contoso NAS01 admin", host: "nas01", username: "admin" },
      }),
    });
    expect(created.tags).toContain("vault-credential");
    const text = await shown({ clientId: client });
    expect(text).toContain(`vault credential "Contoso NAS01 admin" (for admin@nas01); the secret is never in memory: ${revealOf(id)}`);
    expect(text).not.toContain("ask Mike before using it");
  });

  it("asks the vault nothing when the folder's client is not known", async () => {
    const { clientId: _, ...noClient } = scope;
    expect((await ingest({ scope: noClient, claudeSessionId: "cred-noclient", transcript: dcSession("cred-noclient") })).status).toBe(
      "stored",
    );
    expect(asked).toHaveLength(0);
  });

  it("when the vault refuses, stores the memory without a new pointer and keeps the one a save before stored", async () => {
    const fwSession = (steps: number) => {
      const w = new TranscriptWriter({ sessionId: "cred-fw01" }).prompt("Open port 8443 on the Contoso firewall.");
      for (let i = 0; i < steps; i++) w.bash(`curl -u admin:Fw01Pass!x https://fw01/api/rules -d 'port=844${i}'`, '{"ok":true}');
      return w.jsonl();
    };
    const shownNow = () => shown({ projectId: project, clientId: client });

    mode = "refuse";
    expect((await ingest({ scope, claudeSessionId: "cred-fw01", transcript: fwSession(1) })).status).toBe("stored");
    expect(asked).toHaveLength(1);
    let text = await shownNow();
    expect(text).toContain("Open port 8443");
    expect(text).not.toContain(fw01!.id);

    mode = "answer";
    expect((await ingest({ scope, claudeSessionId: "cred-fw01", transcript: fwSession(2) })).status).toBe("updated");
    expect(await shownNow()).toContain(revealOf(fw01!.id));

    // A later save of the same session while the vault refuses: the pointer stays.
    mode = "refuse";
    expect((await ingest({ scope, claudeSessionId: "cred-fw01", transcript: fwSession(3) })).status).toBe("updated");
    text = await shownNow();
    expect(occurrences(text, revealOf(fw01!.id))).toBe(1);
    expect(text).not.toContain("Fw01Pass!x");
  });

  it("stores the memory without a pointer when the vault does not answer within its budget", async () => {
    mode = "hang";
    const started = Date.now();
    const answer = await ingest({ scope, claudeSessionId: "cred-hang", transcript: dcSession("cred-hang") });
    expect(answer.status).toBe("stored");
    expect(asked).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(withSlowness(5_000));
  });

  it("stores the memory when the vault is down", async () => {
    const down = await startTestService(recallModule, {
      secret: jwtSecret,
      database: recall.database,
      peers: { "vault-service": [`127.0.0.1:${await freePort()}`] },
    });
    const client2 = connect(MemoryServiceClient, down);
    try {
      const started = Date.now();
      const answer = await call(
        client2,
        "ingest",
        IngestRequest.fromPartial({
          scope,
          claudeSessionId: "cred-down",
          idempotencyKey: "machine-1:cred:down",
          transcript: dcSession("cred-down"),
        }),
      );
      expect(answer.status).toBe("stored");
      expect(Date.now() - started).toBeLessThan(withSlowness(5_000));
      const text = (await call(client2, "recall", RecallRequest.fromPartial({ scope: { projectId: project, clientId: client } }))).text;
      expect(text).toContain("Check AD replication on dc01");
      expect(text).not.toContain(secret);
    } finally {
      client2.close();
      await down.stop();
    }
  });
});

import type { CallContext } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import { redact } from "@msp/redaction";
import type { CredentialPointer } from "../credential-pointer";
import { contentHash } from "../content-hash";
import {
  credentialReferences,
  credentialSnippet,
  pointedCredentials,
  RedactionSightings,
  vaultLookupOf,
  withReferences,
} from "./credential-references";
import type { IngestPlan } from "./ingest-plan";
import type { CredentialLookup, VaultCredentials } from "./vault-credentials";

const client = "0190f5c8-0000-7000-8000-00000000c001";
const dc01: CredentialPointer = {
  id: "0190f5c8-0000-7000-8000-0000000000d1",
  name: "DC01 domain admin",
  host: "dc01",
  username: "Administrator",
  type: "password",
};

function contextWithLogger() {
  const warn = jest.fn();
  const ctx = { requestId: "r-1", logger: { warn } as unknown as Logger } as unknown as CallContext;
  return { ctx, warn };
}

/** A vault that answers with `pointers` (or fails with `error`) and remembers what it was asked. */
function fakeVault(answer: CredentialPointer[] | Error) {
  const asked: CredentialLookup[] = [];
  const vault: VaultCredentials = {
    findReferences: (_ctx, lookup) => {
      asked.push(lookup);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { vault, asked };
}

describe("RedactionSightings", () => {
  it("keeps each distinct host and account context of redacted texts once, and only those naming something", () => {
    const sightings = new RedactionSightings();
    const command = redact("sshpass -p 'Adm1n!2025x' ssh administrator@dc01 'hostname'");
    sightings.note(command);
    sightings.note(command);
    sightings.note(redact("mysql -h db01 -u root -pS3cr3t!x crm"));
    sightings.note("export API_TOKEN=[REDACTED:env_secret]");
    sightings.note("ls -la /srv");
    expect(sightings.list()).toEqual([
      { kind: "password", hosts: ["dc01"], usernames: ["administrator"] },
      { kind: "password", hosts: ["db01"], usernames: ["root"] },
    ]);
  });
});

describe("vaultLookupOf", () => {
  it("asks for each host and its short name, each account and its bare name", () => {
    expect(
      vaultLookupOf(client, [
        { kind: "password", hosts: ["dc01.contoso.local", "10.0.0.5"], usernames: ["contoso\\administrator"] },
        { kind: "password", hosts: ["dc01"], usernames: ["svc@contoso.local"] },
      ]),
    ).toEqual({
      clientId: client,
      hosts: ["dc01.contoso.local", "dc01", "10.0.0.5"],
      usernames: ["contoso\\administrator", "administrator", "svc@contoso.local", "svc"],
    });
  });

  it("asks for at most 50 hosts and 50 accounts (what the vault takes)", () => {
    const contexts = Array.from({ length: 80 }, (_, i) => ({ kind: "password", hosts: [`web${i}`], usernames: [`user${i}`] }));
    const lookup = vaultLookupOf(client, contexts);
    expect(lookup.hosts).toHaveLength(50);
    expect(lookup.usernames).toHaveLength(50);
  });
});

describe("pointedCredentials", () => {
  const nas = { ...dc01, id: "0190f5c8-0000-7000-8000-0000000000d2", name: "NAS admin", host: "nas01.contoso.local", username: "admin" };
  const anywhere = { ...dc01, id: "0190f5c8-0000-7000-8000-0000000000d3", name: "Local admin", host: "", username: "administrator" };

  it("keeps a credential of a host seen (by full or short name), whichever account it is for", () => {
    expect(pointedCredentials([dc01, nas], [{ kind: "password", hosts: ["dc01.contoso.local"], usernames: ["root"] }])).toEqual([dc01]);
    expect(pointedCredentials([nas], [{ kind: "password", hosts: ["nas01"], usernames: [] }])).toEqual([nas]);
  });

  it("keeps a credential matched by account alone only when the secret had no host around it", () => {
    const onAnotherHost = [{ kind: "password", hosts: ["web07"], usernames: ["administrator"] }];
    expect(pointedCredentials([anywhere, dc01], onAnotherHost)).toEqual([]);
    const noHost = [{ kind: "password", hosts: [], usernames: ["contoso\\administrator"] }];
    expect(pointedCredentials([anywhere, dc01], noHost)).toEqual([anywhere, dc01]);
  });

  it("keeps each credential once", () => {
    expect(pointedCredentials([dc01, dc01], [{ kind: "password", hosts: ["dc01"], usernames: [] }])).toEqual([dc01]);
  });
});

describe("credentialSnippet", () => {
  it("names the credential, its id and the reveal command, and nothing secret", () => {
    const snippet = credentialSnippet(dc01);
    expect(snippet).toEqual({
      category: "credential_reference",
      title: "Credential for Administrator@dc01: DC01 domain admin",
      denseContent:
        'Vault credential "DC01 domain admin" (password for Administrator@dc01), id 0190f5c8-0000-7000-8000-0000000000d1. ' +
        'Reveal it when needed: msp cred reveal 0190f5c8-0000-7000-8000-0000000000d1 --reason "<why you need it>". ' +
        "Memory never holds the secret itself.",
      structuredData: {
        credential_id: dc01.id,
        name: "DC01 domain admin",
        host: "dc01",
        username: "Administrator",
        credential_type: "password",
      },
      tags: ["vault-credential", "dc01", "administrator"],
      importance: 7,
      contentHash: contentHash(snippet.denseContent),
    });
  });

  it("is the same snippet (the same content hash) each time the same credential is found", () => {
    expect(credentialSnippet(dc01).contentHash).toBe(credentialSnippet({ ...dc01 }).contentHash);
    expect(credentialSnippet(dc01).contentHash).not.toBe(credentialSnippet({ ...dc01, name: "DC01 admin (new)" }).contentHash);
  });
});

describe("credentialReferences: fail-soft", () => {
  const contexts = [{ kind: "password", hosts: ["dc01"], usernames: ["administrator"] }];

  it("asks the vault about the client's hosts and accounts and points to what it found", async () => {
    const { vault, asked } = fakeVault([dc01]);
    const { ctx, warn } = contextWithLogger();
    const found = await credentialReferences(vault, ctx, client, contexts);
    expect(asked).toEqual([{ clientId: client, hosts: ["dc01"], usernames: ["administrator"] }]);
    expect(found.snippets.map((s) => s.structuredData?.["credential_id"])).toEqual([dc01.id]);
    expect(found.lookupFailed).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it("does not ask without a client, or without a host or account", async () => {
    const { vault, asked } = fakeVault([dc01]);
    const { ctx } = contextWithLogger();
    const none = { snippets: [], lookupFailed: false };
    expect(await credentialReferences(vault, ctx, null, contexts)).toEqual(none);
    expect(await credentialReferences(vault, ctx, client, [])).toEqual(none);
    expect(asked).toEqual([]);
  });

  it("finds nothing, says the lookup failed and logs a warning when the vault fails", async () => {
    const { vault } = fakeVault(new Error("vault-service unavailable"));
    const { ctx, warn } = contextWithLogger();
    expect(await credentialReferences(vault, ctx, client, contexts)).toEqual({ snippets: [], lookupFailed: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][1]).toMatch(/vault lookup failed/);
  });
});

describe("withReferences", () => {
  it("adds each snippet once, by content hash", () => {
    const snippet = credentialSnippet(dc01);
    const plan = { snippets: [snippet] } as unknown as IngestPlan;
    const other = credentialSnippet({ ...dc01, id: "0190f5c8-0000-7000-8000-0000000000d9" });
    expect(withReferences(plan, { snippets: [snippet, other], lookupFailed: false }).snippets).toHaveLength(2);
    expect(withReferences(plan, { snippets: [], lookupFailed: false })).toBe(plan);
  });

  it("keeps the references stored before when the vault could not be asked", () => {
    const plan = { snippets: [] } as unknown as IngestPlan;
    expect(withReferences(plan, { snippets: [], lookupFailed: true }).keepStoredCredentialReferences).toBe(true);
  });
});

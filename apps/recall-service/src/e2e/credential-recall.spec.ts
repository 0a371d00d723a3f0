import type { PlatformStack } from "@msp/testing";
import { startPlatform, withSlowness } from "@msp/testing";
import { TranscriptWriter } from "../test/transcript-records";

// The whole path with the real vault, through the gateway as the hooks and the CLI call it: a
// credential stored in the vault for the client's domain controller, a session whose password for
// administrator@dc01 is redacted, and what Claude is shown at the start of the next session.

jest.setTimeout(withSlowness(180_000));

let platform: PlatformStack;
let token: string;
beforeAll(async () => {
  platform = await startPlatform();
  token = await platform.login();
});
afterAll(async () => {
  await platform?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  const answer = await platform.api(method, path, { token, body });
  if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

function credential(clientId: string, name: string, url: string, secret: string) {
  return api("POST", "/api/v1/credentials", {
    credential: { clientId, name, credentialType: "CREDENTIAL_TYPE_PASSWORD", username: "administrator", url },
    secret,
  });
}

/** A session on dc01: the technician's password typed into an sshpass command (redacted on the way in). */
function dcSession(sessionId: string, typed: string): string {
  return new TranscriptWriter({ sessionId, cwd: "/home/tech/contoso-infra" })
    .prompt("Check AD replication on dc01 for Contoso.")
    .bash(`sshpass -p '${typed}' ssh administrator@dc01 'repadmin /replsummary'`, "0 fails")
    .say("Replication on dc01 is healthy.")
    .jsonl();
}

describe("credential references with the real vault", () => {
  it("recalls the vault credential of the host a redacted secret was used on, and ingests without the vault", async () => {
    const client = await api("POST", "/api/v1/clients", { name: "Contoso (credential recall e2e)", defaultHourlyRate: "120" });
    const vaultSecret = "Vault-Only-Secret-7f3a";
    const dc01 = await credential(client.id, "Contoso DC01 domain admin", "https://dc01.contoso.local", vaultSecret);
    const dc02 = await credential(client.id, "Contoso DC02 domain admin", "https://dc02.contoso.local", vaultSecret);
    expect(dc01.host).toBe("dc01.contoso.local");

    const typed = "Typed-In-Session-9c2e!";
    const scope = { clientId: client.id, machineName: "LAPTOP-3", repository: "git@github.com:Contoso/infra.git" };
    const stored = await api("POST", "/api/v1/memory:ingest", {
      scope,
      claudeSessionId: "e2e-cred-1",
      idempotencyKey: "e2e-cred-1:1",
      transcript: dcSession("e2e-cred-1", typed),
      trigger: "stop",
    });
    expect(stored.status).toBe("stored");

    const { text } = await api("POST", "/api/v1/memory:recall", { scope });
    expect(text).toContain(`vault credential "Contoso DC01 domain admin" (password for administrator@dc01.contoso.local)`);
    expect(text).toContain(`msp cred reveal ${dc01.id} --reason "<why you need it>"`);
    // dc02's credential is the same account on another host: not the one this secret was for.
    expect(text).not.toContain(dc02.id);
    expect(text).not.toContain(typed);
    expect(text).not.toContain(vaultSecret);

    // With the vault down, a session is still remembered (without a new pointer).
    await platform.stopApp("vault-service");
    const again = await api("POST", "/api/v1/memory:ingest", {
      scope,
      claudeSessionId: "e2e-cred-2",
      idempotencyKey: "e2e-cred-2:1",
      transcript: dcSession("e2e-cred-2", typed).replace("Check AD replication", "Check DNS scavenging"),
      trigger: "stop",
    });
    expect(again.status).toBe("stored");
    const later = (await api("POST", "/api/v1/memory:recall", { scope })).text as string;
    expect(later).toContain("Check DNS scavenging");
    expect(later).toContain(`msp cred reveal ${dc01.id}`);
    expect(later).not.toContain(typed);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { call } from "@msp/testing";
import { plantedSecrets } from "@msp/redaction/src/testing";
import { IngestRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { describeWithTranscripts, realTranscript, transcriptsDir } from "./real-transcripts";
import type { RecallStack } from "./recall-test-stack";
import { startRecallStack } from "./recall-test-stack";
import { basicAuthPasswords, storedTexts } from "./stored-text";
import { TranscriptWriter } from "./transcript-records";

// THE REDACTION TEST: secrets planted into a real transcript (as prompts, Bash commands and
// command output) are stored nowhere: every text column of every table is scanned.

const realSession = "austinweitao__claude-backup/projects/-home-cwtrocks-android-avd/sessions/6e42724d-ca58-483b-9dbc-6044e5f8dcf4.jsonl";
const basicAuthSession = "Skills03__ubuntu-secure/extracted_conversation_1201_messages.jsonl";
const project = "0190f5c8-0000-7000-8000-00000000a201";
const planted = plantedSecrets();

let stack: RecallStack;
beforeAll(async () => {
  stack = await startRecallStack();
});
afterAll(async () => {
  await stack.stop();
});

/** The base transcript: the real one when present, else this project's own fixture (saying so). */
function baseTranscript(): { text: string; source: string } {
  const path = realTranscript(realSession);
  if (path) return { text: readFileSync(path, "utf8"), source: realSession };
  console.warn(`redaction test: ${realSession} not found in ${transcriptsDir}; planting into the synthetic fixture instead`);
  return { text: readFileSync(join(__dirname, "fixtures", "nginx-proxy-session.jsonl"), "utf8"), source: "nginx-proxy-session.jsonl" };
}

/** The session id and working directory of a transcript, from its first record that has them. */
function sessionOf(text: string): { sessionId: string; cwd: string } {
  for (const line of text.split("\n")) {
    try {
      const record = JSON.parse(line) as { sessionId?: unknown; cwd?: unknown };
      if (typeof record.sessionId === "string" && typeof record.cwd === "string") return { sessionId: record.sessionId, cwd: record.cwd };
    } catch {
      // not a record
    }
  }
  return { sessionId: "planted-session", cwd: "/home/tech" };
}

/**
 * The transcript with every planted secret in it three times, as valid records: a prompt that
 * pastes it, a Bash command that uses it and succeeds, and one whose failure output repeats it.
 * Half go in the middle of the session, half at its end.
 */
function withPlantedSecrets(text: string): string {
  const { sessionId, cwd } = sessionOf(text);
  const records = (from: number, to: number) => {
    const w = new TranscriptWriter({ sessionId, cwd, start: new Date("2026-11-21T10:00:00Z") });
    for (const p of planted.slice(from, to)) {
      w.prompt(`Use this on the server:\n${p.line}`)
        .bash(p.line, `done: ${p.line}`)
        .bash(`${p.line} --verbose`, `error: authentication failed for ${p.line}\nexit status 1`, true)
        .say(`The command failed because the credentials in ${p.line} were rejected; I'll retry with the same values.`);
    }
    return w.lines();
  };
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const middle = Math.floor(lines.length / 2);
  const half = Math.floor(planted.length / 2);
  return [...lines.slice(0, middle), ...records(0, half), ...lines.slice(middle), ...records(half, planted.length)].join("\n") + "\n";
}

describe("THE REDACTION TEST: secrets planted in a real transcript are stored nowhere", () => {
  it("plants at least 20 kinds of secret", () => {
    expect(new Set(planted.map((p) => p.kind)).size).toBeGreaterThanOrEqual(20);
  });

  it("stores none of them in any text column of any table, and stores [REDACTED:<kind>] instead", async () => {
    const base = baseTranscript();
    const transcript = withPlantedSecrets(base.text);
    for (const p of planted) expect(transcript).toContain(JSON.stringify(p.secret).slice(1, -1));
    const secretInScope = planted.find((p) => p.kind === "basic_auth_url")!;
    const answer = await call(
      stack.memory,
      "ingest",
      IngestRequest.fromPartial({
        scope: {
          projectId: project,
          machineName: "LAPTOP-3",
          cwd: `/home/tech/${secretInScope.line}`,
          repository: `https://deploy:${secretInScope.secret}@git.acme.test/infra/ansible.git`,
          host: "web01",
        },
        claudeSessionId: sessionOf(transcript).sessionId,
        idempotencyKey: "planted-1",
        transcript,
        trigger: "session_end",
      }),
    );
    expect(answer.status).toBe("stored");
    expect(answer.stats!.redactions).toBeGreaterThan(planted.length);

    const texts = await storedTexts(stack.service.service.db);
    const tables = new Set(texts.map((t) => t.where.split(".")[0]));
    for (const table of [
      "conversation_contexts",
      "context_snippets",
      "project_states",
      "context_tags",
      "ingest_receipts",
      "audit_outbox",
    ]) {
      expect(tables).toContain(table);
    }
    // As planted, and in base64 (a value encoded on the way would be the same secret).
    const forms = (secret: string) => [secret, Buffer.from(secret, "utf8").toString("base64")];
    const leaks = planted.flatMap((p) =>
      texts.filter((t) => forms(p.secret).some((form) => t.text.includes(form))).map((t) => `${p.kind} in ${t.where}`),
    );
    expect(leaks).toEqual([]);
    const kinds = new Set(texts.flatMap((t) => [...t.text.matchAll(/\[REDACTED:([a-z_]+)\]/g)].map((m) => m[1])));
    console.log(
      `redaction test on ${base.source}: ${texts.length} stored values scanned, redacted kinds stored: ${[...kinds].sort().join(", ")}`,
    );
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  });
});

describeWithTranscripts("THE REDACTION TEST: a real session's basic-auth password", [basicAuthSession], ([file]) => {
  it("is found by its structure in the raw transcript and stored nowhere after ingest", async () => {
    const raw = readFileSync(file!, "utf8");
    const passwords = basicAuthPasswords(raw);
    expect(passwords.length).toBeGreaterThan(0);
    for (const password of passwords) expect(raw.split(password).length - 1).toBeGreaterThan(10);
    const answer = await call(
      stack.memory,
      "ingest",
      IngestRequest.fromPartial({
        scope: { projectId: project },
        claudeSessionId: "basic-auth-session",
        idempotencyKey: "basic-auth-1",
        transcript: raw,
      }),
    );
    expect(answer.status).toBe("stored");
    const texts = await storedTexts(stack.service.service.db);
    const leaks = passwords.flatMap((password, i) =>
      texts.filter((t) => t.text.includes(password)).map((t) => `password ${i + 1} in ${t.where}`),
    );
    expect(leaks).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { SnippetCategory } from "@msp/proto/src/gen/ts/msp/recall/v1/context_snippet";
import type { DeepPartial } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { IngestRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { DecisionLog } from "@msp/proto/src/gen/ts/msp/recall/v1/decision_log";
import { redact } from "@msp/redaction";
import { compressTranscript, parseTranscript } from "@msp/transcript";
import type { RecallStack } from "./recall-test-stack";
import { page, startRecallStack } from "./recall-test-stack";
import { keptAsCommandSnippet } from "../ingest/session-plan";
import { decisionTable, snippetTable } from "../recall/memory-rows";
import { TranscriptWriter } from "./transcript-records";

const fixture = readFileSync(join(__dirname, "fixtures", "nginx-proxy-session.jsonl"), "utf8");
const fixtureSession = "5b0c2a4e-1f7d-4c55-9a51-000000000001";
const project = "0190f5c8-0000-7000-8000-00000000a001";
const client = "0190f5c8-0000-7000-8000-00000000c001";
const machine = "0190f5c8-0000-7000-8000-00000000d001";
const scope = {
  projectId: project,
  clientId: client,
  machineId: machine,
  machineName: "LAPTOP-3",
  repository: "git@github.com:Acme/Web.git",
};

let stack: RecallStack;
beforeAll(async () => {
  stack = await startRecallStack();
});
afterAll(async () => {
  await stack.stop();
});

const ingest = (partial: DeepPartial<IngestRequest>) => call(stack.memory, "ingest", IngestRequest.fromPartial(partial));
/** What the compressor makes of a transcript, redacted as Ingest redacts it. */
const compressed = (jsonl: string) => compressTranscript(parseTranscript(jsonl).events, { redact });
let keys = 0;
const key = () => `machine-1:test:${++keys}`;
const contextsOf = async (claudeSessionId: string) =>
  (await call(stack.contexts, "listConversationContexts", { ...page, filter: `claude_session_id = "${claudeSessionId}"` }))
    .conversationContexts;
const snippetsOf = async (contextId: string) =>
  (await call(stack.snippets, "listContextSnippets", { ...page, filter: `context_id = "${contextId}"` })).contextSnippets;
const decisionsOf = async (contextId: string) =>
  (await call(stack.decisions, "listDecisionLogs", { ...page, filter: `context_id = "${contextId}"` })).decisionLogs;

/** A synthetic session of this project's own: a docker upgrade on a client server, `steps` long (1-3). */
function dockerSession(sessionId: string, steps: number): string {
  const w = new TranscriptWriter({ sessionId, cwd: "/home/tech/acme-ops" });
  w.prompt("Upgrade docker on backup01 to the current release; we will use the docker apt repository only.")
    .bash("ssh backup01 'docker --version'", "Docker version 20.10.5, build 55c4c88")
    .bash("ssh backup01 'sudo apt-get install -y docker-ce'", "E: Unable to locate package docker-ce", true)
    .say("The docker apt repository is missing because only the Debian package was installed. I'll add the docker repository first.");
  if (steps >= 2) {
    w.bash("ssh backup01 'sudo install -m 0755 -d /etc/apt/keyrings && sudo apt-get update'", "Reading package lists... Done")
      .bash("ssh backup01 'sudo apt-get install -y docker-ce'", "Setting up docker-ce (5:27.3.1-1~debian.12~bookworm) ...")
      .bash("ssh backup01 'docker --version'", "Docker version 27.3.1, build ce12230");
  }
  if (steps >= 3) {
    w.say(
      "Docker 27.3.1 runs on backup01. I decided to use the compose plugin instead of docker-compose v1 because v1 is unmaintained.",
    ).prompt("Good. Next: move the backup containers to the compose plugin tomorrow.");
  }
  return w.jsonl();
}

describe("Ingest", () => {
  it("stores a transcript as one context with its decisions, snippets, tags and project state", async () => {
    // What the compressor makes of the fixture; ingest must store exactly that.
    const expected = compressed(fixture);
    expect(expected.problems.length).toBeGreaterThan(0);
    const answer = await ingest({ scope, claudeSessionId: fixtureSession, idempotencyKey: key(), transcript: fixture, trigger: "stop" });
    expect(answer.status).toBe("stored");
    expect(answer.stats).toMatchObject({
      lines: 21,
      records: 21,
      malformedLines: 0,
      decisions: expected.decisions.length,
      problems: expected.problems.length,
      partsReceived: 1,
      partsExpected: 1,
      sourceTokens: BigInt(expected.sourceTokens),
      summaryTokens: BigInt(expected.summaryTokens),
    });
    const context = answer.context!;
    expect(context).toMatchObject({
      claudeSessionId: fixtureSession,
      projectId: project,
      clientId: client,
      machineId: machine,
      machineName: "LAPTOP-3",
      repository: "github.com/Acme/Web",
      cwd: "/home/tech/acme-web",
      gitBranch: "main",
      contextType: 1,
      title: expected.title,
      denseSummary: expected.denseSummary,
      tags: expected.tags,
      sourceTokens: answer.stats!.sourceTokens,
      summaryTokens: answer.stats!.summaryTokens,
    });
    expect(context.title).toMatch(/nginx/);
    expect(context.tags).toContain("nginx");
    expect(context.startedAt).toEqual(new Date("2026-11-20T09:00:00Z"));
    expect(context.endedAt!.getTime()).toBeGreaterThan(context.startedAt!.getTime());
    expect(context.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(context.keyDecisions).toHaveLength(expected.decisions.length);
    expect(context.currentState).toEqual({
      phase: expected.state.phase ?? "",
      done: expected.state.done,
      open: expected.state.open,
      nextActions: expected.state.nextActions,
      blockers: expected.state.blockers,
    });

    const snippets = await snippetsOf(context.id);
    expect(answer.stats!.snippets).toBe(snippets.length);
    const lessons = snippets.filter((s) => s.category === SnippetCategory.SNIPPET_CATEGORY_LESSON_LEARNED);
    expect(lessons.length).toBeGreaterThanOrEqual(new Set(expected.problems.map((p) => p.problem)).size);
    for (const problem of expected.problems) {
      const lesson = lessons.find((l) => l.structuredData?.["problem"] === problem.problem);
      expect(lesson?.denseContent).toMatch(/^Problem: /);
      if (problem.fix) expect(lesson?.denseContent).toContain(`\nFix: ${problem.fix}`);
    }
    const commands = snippets.filter((s) => s.category === SnippetCategory.SNIPPET_CATEGORY_COMMAND).map((s) => s.denseContent);
    // Every command worth a snippet is one (failed, printed a value, or changed something), unless a
    // problem already tells it; a routine run is not one.
    for (const run of expected.commands) {
      const kept = keptAsCommandSnippet(run, expected.problems);
      expect([run.command, commands.some((c) => c?.startsWith(run.command))]).toEqual([run.command, kept]);
    }
    const hashes = snippets.map((s) => s.contentHash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(snippets.every((s) => s.projectId === project && s.machineName === "LAPTOP-3")).toBe(true);

    const decisions = await decisionsOf(context.id);
    expect(decisions.map((d) => d.subject).sort()).toEqual(expected.decisions.map((d) => d.subject).sort());

    const tags = await call(stack.tags, "listContextTags", { ...page, filter: `owner_id = "${context.id}"` });
    expect(tags.contextTags.map((t) => t.tag).sort()).toEqual([...context.tags].sort());

    const states = await call(stack.projectStates, "listProjectStates", { ...page, filter: `project_id = "${project}"` });
    expect(states.projectStates).toHaveLength(1);
    expect(states.projectStates[0]).toMatchObject({ lastContextId: context.id, repository: "github.com/Acme/Web", clientId: client });
    expect(states.projectStates[0]!.currentPhase ?? "").toBe(expected.state.phase ?? "");
  });

  it("stores nothing the second time it sees an idempotency key", async () => {
    const sessionId = "idem-0001";
    const request = { scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 2) };
    const first = await ingest(request);
    const second = await ingest(request);
    expect(first.status).toBe("stored");
    expect(second.status).toBe("duplicate");
    expect(second.context?.id).toBe(first.context?.id);
    expect(second.stats).toMatchObject({ decisions: 0, snippets: 0 });
    expect(await contextsOf(sessionId)).toHaveLength(1);
    expect(await snippetsOf(first.context!.id)).toHaveLength(first.stats!.snippets);
  });

  it("stores once when the same save arrives twice at the same time", async () => {
    const sessionId = "idem-0002";
    const request = { scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 3) };
    const answers = await Promise.all([ingest(request), ingest(request), ingest(request)]);
    expect(answers.map((a) => a.status).sort()).toEqual(["duplicate", "duplicate", "stored"]);
    expect(await contextsOf(sessionId)).toHaveLength(1);
  });

  it("keeps one context when two saves of a new session arrive at the same time", async () => {
    const sessionId = "race-0001";
    const answers = await Promise.all([
      ingest({ scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 3) }),
      ingest({ scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 3) }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual(["stored", "updated"]);
    const contexts = await contextsOf(sessionId);
    expect(contexts).toHaveLength(1);
    expect(new Set((await snippetsOf(contexts[0]!.id)).map((s) => s.contentHash)).size).toBe(answers[0].stats!.snippets);
  });

  it("replaces a session's context when the session went on (longer transcript, new key), never adding a second", async () => {
    const sessionId = "continued-0001";
    const first = await ingest({ scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 2) });
    const firstSnippets = await snippetsOf(first.context!.id);
    const later = await ingest({ scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 3) });
    expect(later.status).toBe("updated");
    expect(later.context!.id).toBe(first.context!.id);
    expect(later.context!.etag).not.toBe(first.context!.etag);
    expect(Number(later.context!.sourceTokens)).toBeGreaterThan(Number(first.context!.sourceTokens));
    expect(later.context!.denseSummary).toBe(compressed(dockerSession(sessionId, 3)).denseSummary);
    expect(await contextsOf(sessionId)).toHaveLength(1);
    // Derived rows were replaced, not added to.
    const snippets = await snippetsOf(first.context!.id);
    expect(new Set(snippets.map((s) => s.contentHash)).size).toBe(snippets.length);
    expect(snippets.length).toBeGreaterThanOrEqual(firstSnippets.length);
    const decisions = await decisionsOf(first.context!.id);
    expect(decisions.length).toBe(later.stats!.decisions);
    const tags = await call(stack.tags, "listContextTags", { ...page, filter: `owner_id = "${first.context!.id}"` });
    expect(tags.contextTags).toHaveLength(later.context!.tags.length);

    // An earlier, shorter save delivered late (from a spool) changes nothing.
    const late = await ingest({ scope, claudeSessionId: sessionId, idempotencyKey: key(), transcript: dockerSession(sessionId, 1) });
    expect(late.status).toBe("duplicate");
    expect(late.context!.etag).toBe(later.context!.etag);
    expect(await contextsOf(sessionId)).toHaveLength(1);
  });

  it("assembles a multi-part upload sent in random order, each part once", async () => {
    const sessionId = "parts-0001";
    const transcript = dockerSession(sessionId, 3);
    const count = 7;
    const size = Math.ceil(transcript.length / count);
    const parts = Array.from({ length: count }, (_, i) => transcript.slice(i * size, (i + 1) * size));
    const order = [4, 0, 6, 2, 5, 1, 3];
    const uploadKey = key();
    const answers = [];
    for (const [n, index] of order.entries()) {
      answers.push(
        await ingest({
          scope,
          claudeSessionId: sessionId,
          idempotencyKey: uploadKey,
          transcript: parts[index]!,
          partIndex: index,
          partCount: count,
        }),
      );
      if (n === 2) {
        // A part sent again (a retry) counts once.
        const again = await ingest({
          scope,
          claudeSessionId: sessionId,
          idempotencyKey: uploadKey,
          transcript: parts[index]!,
          partIndex: index,
          partCount: count,
        });
        expect(again.stats).toMatchObject({ partsReceived: 3, partsExpected: count });
      }
    }
    expect(answers.slice(0, -1).map((a) => a.status)).toEqual(Array(count - 1).fill("part_received"));
    expect(answers.slice(0, -1).map((a) => a.stats!.partsReceived)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(answers[2]!.context).toBeUndefined();
    const last = answers[count - 1]!;
    expect(last.status).toBe("stored");
    expect(last.stats).toMatchObject({ partsReceived: count, partsExpected: count, malformedLines: 0 });
    const whole = await ingest({ claudeSessionId: "parts-whole", idempotencyKey: key(), transcript });
    expect(last.stats!.records).toBe(whole.stats!.records);
    expect(last.context!.contentHash).not.toBe("");
    // The parts are gone once assembled; a part sent after that is a duplicate.
    const [row] = await stack.service.service.db.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM ingest_parts", []);
    expect(Number(row?.n)).toBe(0);
    const straggler = await ingest({
      scope,
      claudeSessionId: sessionId,
      idempotencyKey: uploadKey,
      transcript: parts[0]!,
      partIndex: 0,
      partCount: count,
    });
    expect(straggler.status).toBe("duplicate");
  });

  it("forgets the parts of an upload that never finished after 24 hours", async () => {
    const db = stack.service.service.db;
    const abandoned = key();
    await ingest({ claudeSessionId: "abandoned-0001", idempotencyKey: abandoned, transcript: "{}", partIndex: 0, partCount: 2 });
    const dayAndMore = new Date(Date.now() - 25 * 3600_000);
    await db.sequelize.query("UPDATE ingest_parts SET received_at = ? WHERE idempotency_key = ?", {
      replacements: [dayAndMore, abandoned],
    });
    const fresh = key();
    await ingest({ claudeSessionId: "abandoned-0002", idempotencyKey: fresh, transcript: "{}", partIndex: 1, partCount: 2 });
    const keysLeft = await db.select<{ idempotency_key: string }>("SELECT idempotency_key FROM ingest_parts", []);
    expect(keysLeft.map((r) => r.idempotency_key)).toEqual([fresh]);
  });

  it("counts lines that are not records and skips them", async () => {
    const sessionId = "malformed-0001";
    const transcript = `${dockerSession(sessionId, 1)}this is not json\n{"no_type": true}\n[1, 2]\n\n{"type": "user", "message": {"role": "user", "content": "torn`;
    const answer = await ingest({ claudeSessionId: sessionId, idempotencyKey: key(), transcript });
    expect(answer.status).toBe("stored");
    expect(answer.stats).toMatchObject({ records: 6, malformedLines: 4, lines: 10 });
  });

  it("lets a newer decision on the same subject in the same project supersede the older one", async () => {
    const w = new TranscriptWriter({ sessionId: "supersede-0001" });
    w.prompt("Renew the TLS certificates of acme-web on web01; we will use acme.sh instead of certbot because port 80 is closed.").say(
      "I decided to use the DNS challenge of acme.sh instead of certbot because port 80 is closed on web01.",
    );
    const [subject] = compressed(w.jsonl()).decisions.map((d) => d.subject);
    expect(subject).toBeDefined();
    const older = await call(stack.decisions, "createDecisionLog", {
      decisionLog: DecisionLog.fromPartial({
        projectId: project,
        decision: "Use certbot with the HTTP challenge",
        subject: subject!.toUpperCase(),
      }),
    });
    const answer = await ingest({ scope, claudeSessionId: "supersede-0001", idempotencyKey: key(), transcript: w.jsonl() });
    const newer = (await decisionsOf(answer.context!.id)).filter((d) => d.subject === subject);
    expect(newer.length).toBeGreaterThan(0);
    const newest = newer[newer.length - 1]!;
    expect((await call(stack.decisions, "getDecisionLog", { id: older.id })).supersededById).toBe(newest.id);
    expect(newest.supersededById).toBe("");
    // The older decision's change is audited under the ingest, after the ingest's own event.
    const events = await stack.service.service.db.select<{ resource_id: string; resource_type: string; action: string; method: string }>(
      "SELECT resource_id, resource_type, action, method FROM audit_outbox WHERE resource_id IN (?, ?) ORDER BY id",
      [older.id, answer.context!.id],
    );
    expect(events.map((e) => [e.resource_type, e.resource_id, e.action, e.method.split("/")[1]])).toEqual([
      ["decision_log", older.id, "create", "CreateDecisionLog"],
      ["conversation_context", answer.context!.id, "create", "Ingest"],
      ["decision_log", older.id, "update", "Ingest"],
    ]);
  });

  it("dates the snippets and decisions of a session synced weeks later by the session's work, not by the sync", async () => {
    const sessionId = "work-time-0001";
    const transcript = dockerSession(sessionId, 3);
    // A project of its own: the same session's snippets already stored in a project are not stored twice.
    const ownScope = { ...scope, projectId: "0190f5c8-0000-7000-8000-00000000a0ff", repository: "git@github.com:Acme/Ops.git" };
    const answer = await ingest({ scope: ownScope, claudeSessionId: sessionId, idempotencyKey: key(), transcript, trigger: "session_end" });
    const endedAt = answer.context!.endedAt!;
    expect(endedAt.getTime()).toBeLessThan(new Date("2026-11-21T00:00:00Z").getTime());
    const db = stack.service.service.db;
    const rows = [
      ...(await db.select<Record<string, unknown>>("SELECT * FROM context_snippets WHERE context_id = ?", [answer.context!.id])).map(
        (row) => snippetTable.toCandidate(row),
      ),
      ...(await db.select<Record<string, unknown>>("SELECT * FROM decision_logs WHERE context_id = ?", [answer.context!.id])).map((row) =>
        decisionTable.toCandidate(row),
      ),
    ];
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["snippet", "decision"]));
    expect(rows.map((r) => r.time.toISOString())).toEqual(rows.map(() => endedAt.toISOString()));
  });

  it("keeps a project state by repository until the project is known, then gives it to the project", async () => {
    const repository = "https://github.com/acme/new-tool";
    const first = new TranscriptWriter({ sessionId: "repo-0001" })
      .prompt("Start the new-tool CLI; next: write the README.")
      .say("Next steps: write the README.");
    await ingest({ scope: { repository }, claudeSessionId: "repo-0001", idempotencyKey: key(), transcript: first.jsonl() });
    const byRepository = await call(stack.projectStates, "listProjectStates", {
      ...page,
      filter: 'repository = "github.com/acme/new-tool"',
    });
    expect(byRepository.projectStates).toHaveLength(1);
    expect(byRepository.projectStates[0]!.projectId).toBeUndefined();

    const newProject = "0190f5c8-0000-7000-8000-00000000a777";
    await ingest({
      scope: { repository, projectId: newProject },
      claudeSessionId: "repo-0002",
      idempotencyKey: key(),
      transcript: dockerSession("repo-0002", 1),
    });
    const states = await call(stack.projectStates, "listProjectStates", { ...page, filter: 'repository = "github.com/acme/new-tool"' });
    expect(states.projectStates).toHaveLength(1);
    expect(states.projectStates[0]).toMatchObject({ id: byRepository.projectStates[0]!.id, projectId: newProject });
  });
});

describe("Ingest refuses bad requests, naming the field", () => {
  const good = { claudeSessionId: "bad-0001", idempotencyKey: "bad-key", transcript: fixture };
  const refused = (partial: DeepPartial<IngestRequest>, field: string) =>
    expectStatus(ingest({ ...good, ...partial }), status.INVALID_ARGUMENT, field);

  it("without a Claude session id or an idempotency key", async () => {
    await refused({ claudeSessionId: "" }, "claude_session_id: is required");
    await refused({ idempotencyKey: "  " }, "idempotency_key: is required");
    await refused({ idempotencyKey: "k".repeat(201) }, "idempotency_key: must be at most 200 characters");
    await refused({ claudeSessionId: "a b" }, "claude_session_id");
  });

  it("with a part index out of range or a part count that changes", async () => {
    await refused({ partIndex: 1 }, "part_index: must be 0 for a single part");
    await refused({ partIndex: 3, partCount: 3 }, "part_index: must be between 0 and 2");
    await refused({ partIndex: -1, partCount: 3 }, "part_index");
    await refused({ partCount: 100_000 }, "part_count: must be at most");
    await ingest({ ...good, idempotencyKey: "changing-count", transcript: "{}", partIndex: 0, partCount: 3 });
    await refused(
      { idempotencyKey: "changing-count", transcript: "{}", partIndex: 1, partCount: 4 },
      "part_count: must be the same in every part",
    );
  });

  it("with a huge part, an empty or record-less transcript, a bad scope or trigger", async () => {
    await refused(
      { transcript: "x".repeat(4 * 1024 * 1024 + 1), partIndex: 0, partCount: 2 },
      "transcript: a part must be at most 4194304 characters",
    );
    await refused({ transcript: "" }, "transcript: is required");
    await refused({ transcript: "not json\nstill not\n" }, "transcript: holds no transcript record (2 lines, 2 not JSON records)");
    await refused({ scope: { projectId: "project-7" } }, "scope.project_id: must be a UUID");
    await refused({ workSessionId: "yesterday" }, "work_session_id: must be a UUID");
    await refused({ trigger: "whenever" }, "trigger: must be one of stop, session_end, pre_compact, manual");
  });

  it("reads messages over gRPC's default 16 MiB (the service takes 32 MiB) and refuses transcripts over 30 MiB", async () => {
    // 17 MiB of lines that are not records: the message reaches the service, which reads it and says so.
    const line = `${"x".repeat(1023)}\n`;
    await refused({ transcript: line.repeat(17 * 1024) }, "transcript: holds no transcript record (17408 lines");
    await refused({ transcript: line.repeat(31 * 1024) }, "transcript: must be at most 31457280 characters");
    // Parts may not add up to more than a whole transcript may hold.
    const part = line.repeat(4 * 1024);
    for (let partIndex = 0; partIndex < 7; partIndex++) {
      const answer = await ingest({ ...good, idempotencyKey: "too-many-parts", transcript: part, partIndex, partCount: 9 });
      expect(answer.status).toBe("part_received");
    }
    await refused(
      { idempotencyKey: "too-many-parts", transcript: part, partIndex: 7, partCount: 9 },
      "transcript: the parts of an upload must add up to at most",
    );
  });
});

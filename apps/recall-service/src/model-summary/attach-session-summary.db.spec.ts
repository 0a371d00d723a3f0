import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { ConversationContext } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import type { DeepPartial } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { AttachSessionSummaryRequest, IngestRequest, RecallRequest, Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import type { RecallStack } from "../test/recall-test-stack";
import { startRecallStack } from "../test/recall-test-stack";
import { TranscriptWriter } from "../test/transcript-records";

const project = "0190f5c8-0000-7000-8000-00000000a0a1";
const scope = { projectId: project, machineName: "LAPTOP-3", repository: "github.com/acme/summaries" };

let stack: RecallStack;
beforeAll(async () => {
  stack = await startRecallStack();
});
afterAll(async () => {
  await stack.stop();
});

const attach = (partial: DeepPartial<AttachSessionSummaryRequest>) =>
  call(stack.memory, "attachSessionSummary", AttachSessionSummaryRequest.fromPartial(partial));

async function ingestSession(claudeSessionId: string): Promise<string> {
  const transcript = new TranscriptWriter({ sessionId: claudeSessionId, cwd: "/home/tech/summaries" })
    .prompt("Move the nightly backup of db01 to 02:30 and keep 14 copies.")
    .bash("ssh db01 'crontab -l'", "0 1 * * * /usr/local/bin/backup.sh")
    .say("The backup now runs at 02:30 and keeps 14 copies.")
    .jsonl();
  const answer = await call(
    stack.memory,
    "ingest",
    IngestRequest.fromPartial({ scope, claudeSessionId, idempotencyKey: `${claudeSessionId}:1`, transcript, trigger: "session_end" }),
  );
  return answer.context!.id;
}

describe("AttachSessionSummary", () => {
  it("stores a model summary beside the deterministic one, redacted, audited, and shows both in the full item", async () => {
    const contextId = await ingestSession("model-summary-0001");
    const before = await call(stack.contexts, "getConversationContext", { id: contextId });
    const answer = await attach({
      claudeSessionId: "model-summary-0001",
      text: "Goal: nightly backup of db01 at 02:30, 14 copies kept.\nSettled values: mysql -u backup -pS3cretBackup99 on db01.",
      model: "claude-haiku-4-5",
      tokens: 5321n,
    });
    expect(answer.redactions).toBeGreaterThan(0);
    const context = answer.context!;
    expect(context.id).toBe(contextId);
    expect(context.modelSummary).toContain("Goal: nightly backup of db01 at 02:30");
    expect(context.modelSummary).not.toContain("S3cretBackup99");
    expect(context.modelSummary).toContain("[REDACTED:");
    expect(context).toMatchObject({ modelSummaryModel: "claude-haiku-4-5", modelSummaryTokens: 5321n });
    expect(context.modelSummaryAt).toBeInstanceOf(Date);
    // The deterministic summary stays as it was; the context changed, so its etag did too.
    expect(context.denseSummary).toBe(before.denseSummary);
    expect(context.etag).not.toBe(before.etag);

    const events = await stack.service.service.db.select<{ action: string; method: string; request_summary: unknown }>(
      "SELECT action, method, request_summary FROM audit_outbox WHERE resource_id = ? ORDER BY id",
      [contextId],
    );
    const last = events[events.length - 1]!;
    expect([last.action, last.method.split("/")[1]]).toEqual(["update", "AttachSessionSummary"]);
    expect(JSON.stringify(last.request_summary)).not.toContain("nightly backup");

    const recalled = await call(stack.memory, "recall", RecallRequest.fromPartial({ scope: Scope.fromPartial(scope) }));
    const shown = recalled.items.find((item) => item.id === contextId)!;
    const item = await call(stack.memory, "getMemoryItem", { shortId: shown.shortId });
    expect(item.text).toContain((before.denseSummary ?? "").slice(0, 40));
    expect(before.denseSummary).toBeTruthy();
    expect(item.text).toMatch(/Summary written by claude-haiku-4-5 on \d{4}-\d{2}-\d{2}:\nGoal: nightly backup of db01 at 02:30/);
  });

  it("replaces an earlier model summary of the same session", async () => {
    await ingestSession("model-summary-0002");
    await attach({ claudeSessionId: "model-summary-0002", text: "first summary", model: "haiku" });
    const answer = await attach({ claudeSessionId: "model-summary-0002", text: "second summary", model: "sonnet" });
    expect(answer.context).toMatchObject({ modelSummary: "second summary", modelSummaryModel: "sonnet" });
    expect(answer.context!.modelSummaryTokens).toBeUndefined();
  });

  it("refuses a session without a context, and bad fields by name", async () => {
    await expectStatus(attach({ claudeSessionId: "never-ingested", text: "x", model: "haiku" }), status.NOT_FOUND, /never-ingested/);
    const error = await expectStatus(
      attach({ claudeSessionId: "", text: " ", model: "haiku; rm -rf /", tokens: -1n }),
      status.INVALID_ARGUMENT,
      /claude_session_id: is required/,
    );
    expect(error.details).toMatch(/text: is required/);
    expect(error.details).toMatch(/model: may hold only/);
    expect(error.details).toMatch(/tokens: must not be negative/);
    await expectStatus(
      attach({ claudeSessionId: "model-summary-0002", text: "x".repeat(20_001), model: "haiku" }),
      status.INVALID_ARGUMENT,
      /text: must be at most 20000 characters/,
    );
  });

  it("keeps the model summary out of reach of Create and Update", async () => {
    const contextId = await ingestSession("model-summary-0003");
    await expectStatus(
      call(stack.contexts, "updateConversationContext", {
        conversationContext: ConversationContext.fromPartial({ id: contextId, modelSummary: "forged" }),
        updateMask: ["model_summary"],
      }),
      status.INVALID_ARGUMENT,
      /model_summary cannot be changed/,
    );
  });
});

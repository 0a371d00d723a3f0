import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { ContextSnippet, SnippetCategory } from "@msp/proto/src/gen/ts/msp/recall/v1/context_snippet";
import { TagOwnerType } from "@msp/proto/src/gen/ts/msp/recall/v1/context_tag";
import { ConversationContext } from "@msp/proto/src/gen/ts/msp/recall/v1/conversation_context";
import { DecisionLog } from "@msp/proto/src/gen/ts/msp/recall/v1/decision_log";
import { EnvironmentalInsight, InsightCategory } from "@msp/proto/src/gen/ts/msp/recall/v1/environmental_insight";
import { FailurePattern, FailurePatternType } from "@msp/proto/src/gen/ts/msp/recall/v1/failure_pattern";
import { OperationFailure, OperationType } from "@msp/proto/src/gen/ts/msp/recall/v1/operation_failure";
import { ProjectState } from "@msp/proto/src/gen/ts/msp/recall/v1/project_state";
import type { RecallStack } from "./recall-test-stack";
import { page, startRecallStack } from "./recall-test-stack";

const project = "0190f5c8-0000-7000-8000-00000000a101";
const client = "0190f5c8-0000-7000-8000-00000000c101";
const server = "0190f5c8-0000-7000-8000-00000000e101";
const invalid = status.INVALID_ARGUMENT;

let stack: RecallStack;
beforeAll(async () => {
  stack = await startRecallStack();
});
afterAll(async () => {
  await stack.stop();
});

const newContext = (partial: Partial<ConversationContext>) =>
  call(stack.contexts, "createConversationContext", { conversationContext: ConversationContext.fromPartial(partial) });
const newSnippet = (partial: Partial<ContextSnippet>) =>
  call(stack.snippets, "createContextSnippet", { contextSnippet: ContextSnippet.fromPartial(partial) });
const newFailure = (partial: Partial<OperationFailure>) =>
  call(stack.operationFailures, "createOperationFailure", { operationFailure: OperationFailure.fromPartial(partial) });
/** The audit events of a resource, oldest first: what was done, by which method, with what summary. */
const auditOf = async (resourceId: string) =>
  (
    await stack.service.service.db.select<{ action: string; resource_type: string; method: string; request_summary: unknown }>(
      "SELECT action, resource_type, method, request_summary FROM audit_outbox WHERE resource_id = ? ORDER BY id",
      [resourceId],
    )
  ).map((row) => ({
    action: row.action,
    resourceType: row.resource_type,
    method: row.method.split("/")[1],
    summary: (typeof row.request_summary === "string" ? JSON.parse(row.request_summary) : row.request_summary) as unknown,
  }));
const tagsOf = async (ownerId: string) =>
  (await call(stack.tags, "listContextTags", { ...page, filter: `owner_id = "${ownerId}"`, orderBy: "tag" })).contextTags.map((t) => t.tag);

describe("ConversationContextService", () => {
  it("creates, lists, updates and deletes contexts, keeping the tag index in step", async () => {
    const context = await newContext({
      projectId: project,
      title: "  Moved mail to M365  ",
      denseSummary: "Moved the mailboxes of acme to Microsoft 365.",
      tags: ["M365", "Exchange Online", "m365"],
      importance: 7,
    });
    expect(context).toMatchObject({
      title: "Moved mail to M365",
      tags: ["m365", "exchange-online"],
      importance: 7,
      pinned: false,
      recallCount: 0,
    });
    expect(context.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await tagsOf(context.id)).toEqual(["exchange-online", "m365"]);
    const tagged = await call(stack.contexts, "listConversationContexts", { ...page, filter: `project_id = "${project}" AND tags:"m365"` });
    expect(tagged.conversationContexts.map((c) => c.id)).toEqual([context.id]);

    const updated = await call(stack.contexts, "updateConversationContext", {
      conversationContext: ConversationContext.fromPartial({ id: context.id, etag: context.etag, tags: ["dns"], pinned: true }),
      updateMask: ["tags", "pinned"],
    });
    expect(updated).toMatchObject({ tags: ["dns"], pinned: true });
    expect(await tagsOf(context.id)).toEqual(["dns"]);
    const byTag = await call(stack.tags, "listContextTags", { ...page, filter: `tag = "dns" AND owner_type = "context"` });
    expect(byTag.contextTags.map((t) => [t.ownerId, t.ownerType, t.projectId])).toEqual([
      [context.id, TagOwnerType.TAG_OWNER_TYPE_CONTEXT, project],
    ]);

    await call(stack.contexts, "deleteConversationContext", { id: context.id, etag: updated.etag });
    expect(await tagsOf(context.id)).toEqual([]);
  });

  it("refuses a context without title or summary, or with an importance above 10", async () => {
    await expectStatus(newContext({ denseSummary: "x" }), invalid, "conversation_context.title: is required");
    await expectStatus(newContext({ title: "x" }), invalid, "conversation_context.dense_summary: is required");
    await expectStatus(
      newContext({ title: "x", denseSummary: "y", importance: 11 }),
      invalid,
      "conversation_context.importance: must be between 0 and 10",
    );
  });

  it("redacts secrets written through the API", async () => {
    const context = await newContext({
      title: "DB access",
      denseSummary: "connect with mysql://app:Sup3rS3cret!x@db01:3306/shop and carry on",
    });
    expect(context.denseSummary).not.toContain("Sup3rS3cret!x");
    expect(context.denseSummary).toContain("[REDACTED:");
  });
});

describe("ContextSnippetService", () => {
  it("refuses the same content twice in one project, and deletes a snippet's tags with it", async () => {
    const snippet = await newSnippet({
      projectId: project,
      category: SnippetCategory.SNIPPET_CATEGORY_COMMAND,
      title: "Restart the print spooler",
      denseContent: "Restart-Service Spooler -Force",
      tags: ["PowerShell"],
      structuredData: { shell: "pwsh" },
    });
    expect(snippet).toMatchObject({ tags: ["powershell"], structuredData: { shell: "pwsh" }, usageCount: 0 });
    await expectStatus(
      newSnippet({
        projectId: project,
        category: SnippetCategory.SNIPPET_CATEGORY_COMMAND,
        title: "Again",
        denseContent: "restart-service   spooler -force",
      }),
      status.ALREADY_EXISTS,
      "same content already exists in this project",
    );
    // Another project may hold the same fact.
    await newSnippet({
      projectId: client,
      category: SnippetCategory.SNIPPET_CATEGORY_COMMAND,
      title: "Again",
      denseContent: "Restart-Service Spooler -Force",
    });
    expect(await tagsOf(snippet.id)).toEqual(["powershell"]);
    await call(stack.snippets, "deleteContextSnippet", { id: snippet.id, etag: "" });
    expect(await tagsOf(snippet.id)).toEqual([]);
  });

  it("goes with the context it was taken from", async () => {
    const context = await newContext({ title: "c", denseSummary: "s" });
    const snippet = await newSnippet({
      contextId: context.id,
      category: SnippetCategory.SNIPPET_CATEGORY_PATTERN,
      title: "t",
      denseContent: "unique pattern text 41",
      tags: ["pattern-tag"],
    });
    await call(stack.contexts, "deleteConversationContext", { id: context.id, etag: "" });
    await expectStatus(call(stack.snippets, "getContextSnippet", { id: snippet.id }), status.NOT_FOUND);
    expect(await tagsOf(snippet.id)).toEqual([]);
    await expectStatus(
      newSnippet({ contextId: context.id, category: SnippetCategory.SNIPPET_CATEGORY_PATTERN, title: "t", denseContent: "x" }),
      invalid,
      "context_id: no conversation context has id",
    );
  });
});

describe("DecisionLogService", () => {
  it("marks the older decision on the same subject (normalized) superseded, in the same project only", async () => {
    const decide = (decision: string, subject: string, projectId = project) =>
      call(stack.decisions, "createDecisionLog", { decisionLog: DecisionLog.fromPartial({ projectId, decision, subject }) });
    const first = await decide("Back up with restic", "Backup tool");
    const elsewhere = await decide("Back up with borg", "backup tool", client);
    const second = await decide("Back up with Veeam", "  backup-TOOL ");
    expect((await call(stack.decisions, "getDecisionLog", { id: first.id })).supersededById).toBe(second.id);
    expect((await call(stack.decisions, "getDecisionLog", { id: elsewhere.id })).supersededById).toBe("");
    expect(second.supersededById).toBe("");
    const bySubject = await call(stack.decisions, "listDecisionLogs", { ...page, filter: `superseded_by_id = "${second.id}"` });
    expect(bySubject.decisionLogs.map((d) => d.id)).toEqual([first.id]);
    // The older decision's change is audited under the call that made it.
    expect(await auditOf(first.id)).toEqual([
      expect.objectContaining({ action: "create", method: "CreateDecisionLog" }),
      { action: "update", resourceType: "decision_log", method: "CreateDecisionLog", summary: { superseded_by_id: second.id } },
    ]);
    expect((await auditOf(elsewhere.id)).map((e) => e.action)).toEqual(["create"]);
  });
});

describe("ProjectStateService", () => {
  it("keeps one state per project and needs a project or a repository", async () => {
    const state = await call(stack.projectStates, "createProjectState", {
      projectState: ProjectState.fromPartial({
        projectId: project,
        currentPhase: "testing",
        progressPercent: 60,
        nextActions: ["ship it"],
      }),
    });
    expect(state).toMatchObject({ currentPhase: "testing", progressPercent: 60, nextActions: ["ship it"] });
    await expectStatus(
      call(stack.projectStates, "createProjectState", { projectState: ProjectState.fromPartial({ projectId: project }) }),
      status.ALREADY_EXISTS,
      "the project already has a project state",
    );
    await expectStatus(
      call(stack.projectStates, "createProjectState", { projectState: ProjectState.fromPartial({ currentPhase: "x" }) }),
      invalid,
      "project_state.project_id: is required when no repository is given",
    );
    await expectStatus(
      call(stack.projectStates, "createProjectState", {
        projectState: ProjectState.fromPartial({ repository: "github.com/a/b", progressPercent: 101 }),
      }),
      invalid,
      "project_state.progress_percent: must be between 0 and 100",
    );
  });
});

describe("EnvironmentalInsightService", () => {
  it("stores insights with a confidence between 0 and 1", async () => {
    const insight = await call(stack.insights, "createEnvironmentalInsight", {
      environmentalInsight: EnvironmentalInsight.fromPartial({
        clientId: client,
        host: "DC01",
        category: InsightCategory.INSIGHT_CATEGORY_VERSION_LIMITATIONS,
        title: "DC01 has PowerShell 2.0 only",
        examples: ["Invoke-WebRequest is missing"],
        confidence: "0.9",
      }),
    });
    expect(insight).toMatchObject({ host: "dc01", confidence: "0.90", priority: 5, verificationCount: 0 });
    await expectStatus(
      call(stack.insights, "createEnvironmentalInsight", {
        environmentalInsight: EnvironmentalInsight.fromPartial({ clientId: client, category: 1, title: "x", confidence: "1.5" }),
      }),
      invalid,
      "environmental_insight.confidence",
    );
  });
});

describe("OperationFailureService learns failure patterns", () => {
  const failure = (n: number, resolution?: string) =>
    newFailure({
      clientId: client,
      infrastructureId: server,
      operationType: OperationType.OPERATION_TYPE_COMMAND,
      targetSystem: "FS01",
      command: `robocopy D:\\Shares\\Finance${n} \\\\nas01\\backup\\finance${n} /MIR /R:${n}`,
      errorMessage: `2026/11/${10 + n} 0${n}:15:22 ERROR 5 (0x00000005) Accessing Destination Directory \\\\nas01\\backup\\finance${n}\\ Access is denied.`,
      ...(resolution ? { resolution, resolved: true } : {}),
    });

  it("counts the same failure met with other paths, numbers and times towards one pattern, and takes its fix", async () => {
    const first = await failure(1);
    expect(first.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(first.failurePatternId).not.toBe("");
    const second = await failure(2, "Run robocopy as the backup service account, which has write access to nas01");
    const third = await failure(3);
    expect(new Set([first.signature, second.signature, third.signature]).size).toBe(1);
    expect(new Set([first.failurePatternId, second.failurePatternId, third.failurePatternId]).size).toBe(1);
    expect(second).toMatchObject({ resolved: true });
    expect(second.resolvedAt).toBeInstanceOf(Date);

    const pattern = await call(stack.failurePatterns, "getFailurePattern", { id: first.failurePatternId });
    expect(pattern).toMatchObject({
      clientId: client,
      infrastructureId: server,
      host: "fs01",
      occurrenceCount: 3,
      patternType: FailurePatternType.FAILURE_PATTERN_TYPE_PERMISSION_DENIED,
      recommendedSolution: "Run robocopy as the backup service account, which has write access to nas01",
      isActive: true,
      signature: first.signature,
    });
    expect(pattern.triggeringCommands).toHaveLength(3);
    expect(pattern.errorPattern).toContain("access is denied");
    expect(pattern.errorPattern).not.toMatch(/finance\d|nas01\\\\backup/);
    expect(pattern.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(pattern.firstSeenAt!.getTime());
    const known = await call(stack.failurePatterns, "listFailurePatterns", {
      ...page,
      filter: `client_id = "${client}" AND is_active = true AND occurrence_count >= 3`,
    });
    expect(known.failurePatterns.map((p) => p.id)).toEqual([pattern.id]);
  });

  it("keeps patterns apart by command and by client, and takes a fix given later", async () => {
    const base = { operationType: OperationType.OPERATION_TYPE_COMMAND, errorMessage: "Failed to start nginx.service: Unit not found." };
    const restart = await newFailure({ ...base, clientId: client, command: "systemctl restart nginx" });
    const enable = await newFailure({ ...base, clientId: client, command: "systemctl enable --now nginx" });
    const noClient = await newFailure({ ...base, command: "systemctl restart nginx" });
    const noClientAgain = await newFailure({ ...base, command: "sudo systemctl restart nginx" });
    expect(restart.failurePatternId).not.toBe(enable.failurePatternId);
    expect(restart.failurePatternId).not.toBe(noClient.failurePatternId);
    expect(noClientAgain.failurePatternId).toBe(noClient.failurePatternId);

    const fixed = await call(stack.operationFailures, "updateOperationFailure", {
      operationFailure: OperationFailure.fromPartial({ id: restart.id, resolution: "apt-get install nginx", resolved: true }),
      updateMask: ["resolution", "resolved"],
    });
    expect(fixed.resolvedAt).toBeInstanceOf(Date);
    const pattern = await call(stack.failurePatterns, "getFailurePattern", { id: restart.failurePatternId });
    expect(pattern).toMatchObject({ recommendedSolution: "apt-get install nginx", occurrenceCount: 1 });
    // What learning changed in the patterns is audited under the calls that taught it.
    expect(await auditOf(restart.failurePatternId)).toEqual([
      {
        action: "create",
        resourceType: "failure_pattern",
        method: "CreateOperationFailure",
        summary: { occurrence_count: 1, recommended_solution: null, operation_failure_id: restart.id },
      },
      {
        action: "update",
        resourceType: "failure_pattern",
        method: "UpdateOperationFailure",
        summary: { recommended_solution: "apt-get install nginx", alternatives: [] },
      },
    ]);
    expect((await auditOf(noClient.failurePatternId)).map((e) => [e.action, e.summary])).toEqual([
      ["create", { occurrence_count: 1, recommended_solution: null, operation_failure_id: noClient.id }],
      ["update", { occurrence_count: 2, recommended_solution: null, operation_failure_id: noClientAgain.id }],
    ]);
    await expectStatus(
      call(stack.operationFailures, "updateOperationFailure", {
        operationFailure: OperationFailure.fromPartial({ id: restart.id, errorMessage: "something else" }),
        updateMask: ["error_message"],
      }),
      invalid,
      "operation_failure.error_message: cannot be changed after creation",
    );
  });

  it("counts failures recorded at the same time exactly", async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        newFailure({
          clientId: client,
          operationType: OperationType.OPERATION_TYPE_API_CALL,
          errorMessage: `HTTP 429 Too Many Requests (request ${i})`,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.failurePatternId)).size).toBe(1);
    const pattern = await call(stack.failurePatterns, "getFailurePattern", { id: results[0]!.failurePatternId });
    expect(pattern.occurrenceCount).toBe(12);
  });

  it("refuses a failure without type or error message, and a hand-written duplicate pattern", async () => {
    await expectStatus(newFailure({ errorMessage: "x" }), invalid, "operation_failure.operation_type: is required");
    await expectStatus(
      newFailure({ operationType: OperationType.OPERATION_TYPE_COMMAND }),
      invalid,
      "operation_failure.error_message: is required",
    );
    const pattern = FailurePattern.fromPartial({ clientId: client, errorPattern: "Disk /dev/sda1 is full", triggeringCommands: ["df -h"] });
    const created = await call(stack.failurePatterns, "createFailurePattern", { failurePattern: pattern });
    expect(created).toMatchObject({
      occurrenceCount: 1,
      patternType: FailurePatternType.FAILURE_PATTERN_TYPE_CONFIGURATION_ERROR,
      isActive: true,
    });
    await expectStatus(
      call(stack.failurePatterns, "createFailurePattern", {
        failurePattern: { ...pattern, errorPattern: "Disk /dev/sdb2 is full" },
      }),
      status.ALREADY_EXISTS,
      "client_id and infrastructure_id and signature",
    );
  });
});

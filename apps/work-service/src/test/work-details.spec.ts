import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { CommandFailureCategory, CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChange, DatabaseChangeType } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { Deployment, DeploymentType } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { FileChange, FileChangeType } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const newSession = () => call(stack.sessions, "createSession", { session: Session.fromPartial({ title: "Details" }) });
const newItem = (sessionId: string, title = "Work") =>
  call(stack.workItems, "createWorkItem", { workItem: WorkItem.fromPartial({ sessionId, title }) });
const page = { pageSize: 100, pageToken: "", orderBy: "" };
const invalid = status.INVALID_ARGUMENT;
const ghost = "0190f5c8-0000-7000-8000-000000000000";

const newFileChange = (partial: Partial<FileChange>) =>
  call(stack.fileChanges, "createFileChange", { fileChange: FileChange.fromPartial(partial) });
const newCommand = (partial: Partial<CommandRun>) =>
  call(stack.commandRuns, "createCommandRun", { commandRun: CommandRun.fromPartial(partial) });
const newProblem = (partial: Partial<ProblemSolution>) =>
  call(stack.problemSolutions, "createProblemSolution", { problemSolution: ProblemSolution.fromPartial(partial) });
const newDeployment = (partial: Partial<Deployment>) =>
  call(stack.deployments, "createDeployment", { deployment: Deployment.fromPartial(partial) });
const newDatabaseChange = (partial: Partial<DatabaseChange>) =>
  call(stack.databaseChanges, "createDatabaseChange", { databaseChange: DatabaseChange.fromPartial(partial) });

describe("FileChangeService", () => {
  it("creates, lists, updates and deletes file changes", async () => {
    const session = await newSession();
    const item = await newItem(session.id);
    const change = await newFileChange({
      workItemId: item.id,
      filePath: "/etc/nginx/nginx.conf",
      changeType: FileChangeType.FILE_CHANGE_TYPE_MODIFIED,
      sizeBytes: 6_000_000_000n,
      description: "Raised client_max_body_size",
    });
    // The session comes from the work item.
    expect(change).toMatchObject({ sessionId: session.id, workItemId: item.id, sizeBytes: 6_000_000_000n });
    await newFileChange({
      sessionId: session.id,
      filePath: "/etc/nginx/nginx.conf",
      changeType: FileChangeType.FILE_CHANGE_TYPE_BACKED_UP,
      backupPath: "/root/nginx.conf.bak",
    });
    await newFileChange({
      sessionId: session.id,
      filePath: "/srv/new.txt",
      previousPath: "/srv/old.txt",
      changeType: FileChangeType.FILE_CHANGE_TYPE_RENAMED,
    });
    const modified = await call(stack.fileChanges, "listFileChanges", {
      ...page,
      filter: `session_id = "${session.id}" AND change_type = "modified"`,
    });
    expect(modified.fileChanges.map((f) => f.id)).toEqual([change.id]);
    const byPath = await call(stack.fileChanges, "listFileChanges", {
      ...page,
      filter: `session_id = "${session.id}" AND file_path = "/etc/nginx/nginx.conf"`,
      orderBy: "created_at desc",
    });
    expect(byPath.fileChanges.map((f) => f.changeType)).toEqual([
      FileChangeType.FILE_CHANGE_TYPE_BACKED_UP,
      FileChangeType.FILE_CHANGE_TYPE_MODIFIED,
    ]);
    const byItem = await call(stack.fileChanges, "listFileChanges", { ...page, filter: `work_item_id = "${item.id}"` });
    expect(byItem.fileChanges).toHaveLength(1);

    const updated = await call(stack.fileChanges, "updateFileChange", {
      fileChange: FileChange.fromPartial({ id: change.id, etag: change.etag, sizeBytes: 1024n }),
      updateMask: [],
    });
    expect(updated).toMatchObject({ sizeBytes: 1024n, filePath: "/etc/nginx/nginx.conf" });
    await call(stack.fileChanges, "deleteFileChange", { id: change.id, etag: updated.etag });
    await expectStatus(call(stack.fileChanges, "getFileChange", { id: change.id }), status.NOT_FOUND);
  });

  it("checks change types, sizes and paths", async () => {
    const session = await newSession();
    const base = { sessionId: session.id, filePath: "/tmp/x", changeType: FileChangeType.FILE_CHANGE_TYPE_MODIFIED };
    await expectStatus(newFileChange({ ...base, sizeBytes: -1n }), invalid, /file_change\.size_bytes: must not be negative/);
    await expectStatus(newFileChange({ ...base, sizeBytes: 2n ** 60n }), invalid, /file_change\.size_bytes: must be at most/);
    await expectStatus(
      newFileChange({ ...base, changeType: FileChangeType.FILE_CHANGE_TYPE_BACKED_UP }),
      invalid,
      /file_change\.backup_path: is required for a backed-up file/,
    );
    await expectStatus(
      newFileChange({ ...base, previousPath: "/tmp/y" }),
      invalid,
      /file_change\.previous_path: is only for renamed files/,
    );
    await expectStatus(newFileChange({ sessionId: session.id, filePath: "/tmp/x" }), invalid, /file_change\.change_type: is required/);
  });
});

describe("CommandRunService", () => {
  it("numbers commands in session order and keeps success consistent with the exit code", async () => {
    const session = await newSession();
    const item = await newItem(session.id);
    const ok = await newCommand({
      sessionId: session.id,
      workItemId: item.id,
      commandText: "systemctl restart nginx",
      exitCode: 0,
      shellType: "Bash",
    });
    expect(ok).toMatchObject({ success: true, position: 1, shellType: "bash", resolved: false });
    const failed = await newCommand({
      sessionId: session.id,
      commandText: "Get-ADUser -Filter *",
      host: "dc01",
      shellType: "powershell",
      exitCode: 1,
      errorMessage: "The term 'Get-ADUser' is not recognized",
      failureCategory: CommandFailureCategory.COMMAND_FAILURE_CATEGORY_COMPATIBILITY,
    });
    expect(failed).toMatchObject({ success: false, position: 2, exitCode: 1 });
    const crashed = await newCommand({ sessionId: session.id, commandText: "app.exe", exitCode: -1073741819 });
    expect(crashed).toMatchObject({ success: false, exitCode: -1073741819, position: 3 });
    const expected = await newCommand({ sessionId: session.id, commandText: "grep -q foo log", exitCode: 1, success: true });
    expect(expected.success).toBe(true);
    const noCode = await newCommand({ sessionId: session.id, commandText: "docker ps" });
    expect(noCode).toMatchObject({ success: true, exitCode: undefined, position: 5 });

    const failures = await call(stack.commandRuns, "listCommandRuns", {
      ...page,
      filter: `session_id = "${session.id}" AND success = false`,
      orderBy: "position",
    });
    expect(failures.commandRuns.map((c) => c.id)).toEqual([failed.id, crashed.id]);
    const compat = await call(stack.commandRuns, "listCommandRuns", {
      ...page,
      filter: `session_id = "${session.id}" AND failure_category = "compatibility" AND host = "dc01" AND shell_type = "powershell"`,
    });
    expect(compat.commandRuns.map((c) => c.id)).toEqual([failed.id]);

    // Fixing the exit code fixes success; a failure category on a success is refused.
    await expectStatus(
      call(stack.commandRuns, "updateCommandRun", {
        commandRun: CommandRun.fromPartial({ id: failed.id, exitCode: 0 }),
        updateMask: ["exit_code"],
      }),
      invalid,
      /command_run\.failure_category: only a command that did not succeed/,
    );
    const resolved = await call(stack.commandRuns, "updateCommandRun", {
      commandRun: CommandRun.fromPartial({ id: failed.id, resolved: true, resolution: "Imported the ActiveDirectory module first" }),
      updateMask: ["resolved", "resolution"],
    });
    expect(resolved).toMatchObject({ resolved: true, success: false });
    const unresolved = await call(stack.commandRuns, "listCommandRuns", {
      ...page,
      filter: `session_id = "${session.id}" AND resolved = true`,
    });
    expect(unresolved.commandRuns.map((c) => c.id)).toEqual([failed.id]);
    const rerun = await call(stack.commandRuns, "updateCommandRun", {
      commandRun: CommandRun.fromPartial({ id: crashed.id, exitCode: 0 }),
      updateMask: ["exit_code"],
    });
    expect(rerun.success).toBe(true);

    await call(stack.commandRuns, "deleteCommandRun", { id: noCode.id, etag: noCode.etag });
    await expectStatus(call(stack.commandRuns, "getCommandRun", { id: noCode.id }), status.NOT_FOUND);
    await expectStatus(newCommand({ sessionId: session.id }), invalid, /command_run\.command_text: is required/);
  });
});

describe("ProblemSolutionService", () => {
  it("records problems with their investigation and requires a solution", async () => {
    const session = await newSession();
    const item = await newItem(session.id);
    const solved = await newProblem({
      workItemId: item.id,
      problem: "Outlook keeps asking for the password",
      errorMessage: "0x800CCC0E",
      investigationSteps: ["Checked the account in the portal", "Cleared the credential manager"],
      rootCause: "Stale cached credentials",
      solution: "Removed the cached credentials and signed in again",
    });
    expect(solved).toMatchObject({ sessionId: session.id, recurrenceCount: 0 });
    expect(solved.investigationSteps).toEqual(["Checked the account in the portal", "Cleared the credential manager"]);
    await expectStatus(newProblem({ sessionId: session.id, problem: "Unsolved" }), invalid, /problem_solution\.solution: is required/);
    await expectStatus(
      newProblem({ sessionId: session.id, solution: "x", investigationSteps: ["y".repeat(5000)] }),
      invalid,
      /problem_solution\.investigation_steps\[0\]: must be at most 4096 characters/,
    );

    const recurred = await call(stack.problemSolutions, "updateProblemSolution", {
      problemSolution: ProblemSolution.fromPartial({ id: solved.id, recurrenceCount: 2, investigationSteps: ["Checked MFA"] }),
      updateMask: ["recurrence_count", "investigation_steps"],
    });
    expect(recurred).toMatchObject({ recurrenceCount: 2, investigationSteps: ["Checked MFA"], solution: solved.solution });
    await expectStatus(
      call(stack.problemSolutions, "updateProblemSolution", {
        problemSolution: ProblemSolution.fromPartial({ id: solved.id }),
        updateMask: ["solution"],
      }),
      invalid,
      /problem_solution\.solution: is required/,
    );
    const recurring = await call(stack.problemSolutions, "listProblemSolutions", {
      ...page,
      filter: `work_item_id = "${item.id}" AND recurrence_count >= 1`,
    });
    expect(recurring.problemSolutions.map((p) => p.id)).toEqual([solved.id]);
    await call(stack.problemSolutions, "deleteProblemSolution", { id: solved.id, etag: "" });
    await expectStatus(call(stack.problemSolutions, "getProblemSolution", { id: solved.id }), status.NOT_FOUND);
  });
});

describe("DeploymentService", () => {
  // Asset and service ids are checked with the infrastructure service (apps/platform-e2e/src/infra-service.spec.ts);
  // this stack runs the work service alone.
  it("records deployments, and never one naming an asset it could not check", async () => {
    const session = await newSession();
    await expectStatus(
      newDeployment({
        sessionId: session.id,
        infrastructureId: "0190f5c8-1111-7000-8000-000000000001",
        deploymentType: DeploymentType.DEPLOYMENT_TYPE_CODE,
      }),
      status.UNIMPLEMENTED,
      /no backend serves msp\.infra\.v1\.AssetService/,
    );
    const deployed = await newDeployment({
      sessionId: session.id,
      deploymentType: DeploymentType.DEPLOYMENT_TYPE_CONTAINER,
      version: "nginx:1.27.2",
      deployedTo: "docker01:/srv/proxy",
      rollbackProcedure: "docker compose up -d with the previous tag",
    });
    expect(deployed).toMatchObject({ rollbackAvailable: true });
    const plain = await newDeployment({ sessionId: session.id, deploymentType: DeploymentType.DEPLOYMENT_TYPE_SERVICE_RESTART });
    expect(plain.rollbackAvailable).toBe(false);
    const byAsset = await call(stack.deployments, "listDeployments", {
      ...page,
      filter: `session_id = "${session.id}" AND deployment_type = "container" AND rollback_available = true`,
    });
    expect(byAsset.deployments.map((d) => d.id)).toEqual([deployed.id]);
    const updated = await call(stack.deployments, "updateDeployment", {
      deployment: Deployment.fromPartial({ id: deployed.id, rollbackAvailable: false }),
      updateMask: ["rollback_available"],
    });
    expect(updated).toMatchObject({ rollbackAvailable: false, version: "nginx:1.27.2" });
    await expectStatus(newDeployment({ sessionId: session.id }), invalid, /deployment\.deployment_type: is required/);
    await call(stack.deployments, "deleteDeployment", { id: plain.id, etag: plain.etag });
    await expectStatus(call(stack.deployments, "getDeployment", { id: plain.id }), status.NOT_FOUND);
  });
});

describe("DatabaseChangeService", () => {
  it("records changes to client databases", async () => {
    const session = await newSession();
    const cleanup = await newDatabaseChange({
      sessionId: session.id,
      databaseName: " crm ",
      changeType: DatabaseChangeType.DATABASE_CHANGE_TYPE_CLEANUP,
      sqlExecuted: "DELETE FROM audit_log WHERE created < '2024-01-01'",
      rowsAffected: 1_250_000n,
      sizeFreedBytes: 12_000_000_000n,
      backupLocation: "/backups/crm-2026-03-02.sql.gz",
    });
    expect(cleanup).toMatchObject({ databaseName: "crm", rowsAffected: 1_250_000n, sizeFreedBytes: 12_000_000_000n, backupTaken: true });
    const index = await newDatabaseChange({
      sessionId: session.id,
      databaseName: "crm",
      changeType: DatabaseChangeType.DATABASE_CHANGE_TYPE_INDEX,
    });
    expect(index).toMatchObject({ backupTaken: false, rowsAffected: undefined });
    await expectStatus(
      newDatabaseChange({
        sessionId: session.id,
        databaseName: "crm",
        changeType: DatabaseChangeType.DATABASE_CHANGE_TYPE_DATA,
        rowsAffected: -5n,
      }),
      invalid,
      /database_change\.rows_affected: must not be negative/,
    );
    const cleanups = await call(stack.databaseChanges, "listDatabaseChanges", {
      ...page,
      filter: `session_id = "${session.id}" AND database_name = "crm" AND change_type = "cleanup" AND backup_taken = true`,
    });
    expect(cleanups.databaseChanges.map((d) => d.id)).toEqual([cleanup.id]);
    const updated = await call(stack.databaseChanges, "updateDatabaseChange", {
      databaseChange: DatabaseChange.fromPartial({ id: index.id, backupLocation: "/backups/crm.sql" }),
      updateMask: ["backup_location"],
    });
    expect(updated.backupTaken).toBe(true);
    await call(stack.databaseChanges, "deleteDatabaseChange", { id: index.id, etag: "" });
    await expectStatus(call(stack.databaseChanges, "getDatabaseChange", { id: index.id }), status.NOT_FOUND);
  });
});

describe("details of a session and its work items", () => {
  // One creator per detail resource, each taking the session and the work item.
  const creators: [string, (sessionId: string, workItemId?: string) => Promise<{ id: string }>][] = [
    [
      "file_change",
      (s, w) => newFileChange({ sessionId: s, workItemId: w, filePath: "/a", changeType: FileChangeType.FILE_CHANGE_TYPE_CREATED }),
    ],
    ["command_run", (s, w) => newCommand({ sessionId: s, workItemId: w, commandText: "ls" })],
    ["problem_solution", (s, w) => newProblem({ sessionId: s, workItemId: w, problem: "p", solution: "s" })],
    ["deployment", (s, w) => newDeployment({ sessionId: s, workItemId: w, deploymentType: DeploymentType.DEPLOYMENT_TYPE_CODE })],
    [
      "database_change",
      (s, w) =>
        newDatabaseChange({ sessionId: s, workItemId: w, databaseName: "db", changeType: DatabaseChangeType.DATABASE_CHANGE_TYPE_SCHEMA }),
    ],
  ];
  const getters: Record<string, (id: string) => Promise<unknown>> = {
    file_change: (id) => call(stack.fileChanges, "getFileChange", { id }),
    command_run: (id) => call(stack.commandRuns, "getCommandRun", { id }),
    problem_solution: (id) => call(stack.problemSolutions, "getProblemSolution", { id }),
    deployment: (id) => call(stack.deployments, "getDeployment", { id }),
    database_change: (id) => call(stack.databaseChanges, "getDatabaseChange", { id }),
  };

  it.each(creators)("%s: refuses a work item of another session, and unknown sessions or work items", async (name, create) => {
    const session = await newSession();
    const other = await newSession();
    const foreign = await newItem(other.id);
    const error = await expectStatus(
      create(session.id, foreign.id),
      invalid,
      new RegExp(`^${name}\\.work_item_id: belongs to session ${other.id}`),
    );
    expect(error.details).toContain(session.id);
    await expectStatus(create(ghost), invalid, new RegExp(`^${name}\\.session_id: no session has id ${ghost}`));
    await expectStatus(create(session.id, ghost), invalid, new RegExp(`^${name}\\.work_item_id: no work item has id ${ghost}`));
    await expectStatus(create(""), invalid, new RegExp(`${name}\\.session_id: is required`));
  });

  it("refuses to move a detail to a work item of another session", async () => {
    const session = await newSession();
    const mine = await newItem(session.id);
    const foreign = await newItem((await newSession()).id);
    const change = await newFileChange({ workItemId: mine.id, filePath: "/x", changeType: FileChangeType.FILE_CHANGE_TYPE_DELETED });
    await expectStatus(
      call(stack.fileChanges, "updateFileChange", {
        fileChange: FileChange.fromPartial({ id: change.id, workItemId: foreign.id }),
        updateMask: ["work_item_id"],
      }),
      invalid,
      /^file_change\.work_item_id: belongs to session/,
    );
    const detached = await call(stack.fileChanges, "updateFileChange", {
      fileChange: FileChange.fromPartial({ id: change.id }),
      updateMask: ["work_item_id"],
    });
    expect(detached).toMatchObject({ sessionId: session.id, workItemId: undefined });
  });

  it("deleting a work item deletes its details; deleting a session deletes its work items and all details", async () => {
    const session = await newSession();
    const doomed = await newItem(session.id, "Doomed");
    const kept = await newItem(session.id, "Kept");
    const ofDoomed = await Promise.all(creators.map(([name, create]) => create(session.id, doomed.id).then((r) => [name, r.id] as const)));
    const ofKept = await Promise.all(creators.map(([name, create]) => create(session.id, kept.id).then((r) => [name, r.id] as const)));
    const ofSession = await Promise.all(creators.map(([name, create]) => create(session.id).then((r) => [name, r.id] as const)));
    const outsider = await newSession();
    const ofOutsider = await Promise.all(creators.map(([name, create]) => create(outsider.id).then((r) => [name, r.id] as const)));

    await call(stack.workItems, "deleteWorkItem", { id: doomed.id, etag: "" });
    for (const [name, id] of ofDoomed) await expectStatus(getters[name]!(id), status.NOT_FOUND);
    for (const [name, id] of [...ofKept, ...ofSession]) await getters[name]!(id);

    await call(stack.sessions, "deleteSession", { id: session.id, etag: "" });
    await expectStatus(call(stack.workItems, "getWorkItem", { id: kept.id }), status.NOT_FOUND);
    for (const [name, id] of [...ofKept, ...ofSession]) await expectStatus(getters[name]!(id), status.NOT_FOUND);
    for (const [name, id] of ofOutsider) await getters[name]!(id);
  });
});

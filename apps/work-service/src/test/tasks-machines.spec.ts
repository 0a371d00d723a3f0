import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Machine, Platform } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { Task, TaskStatus } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const newTask = (partial: Partial<Task>) => call(stack.tasks, "createTask", { task: Task.fromPartial(partial) });

describe("TaskService", () => {
  it("nests tasks, lists subtasks, and deletes subtasks with their parent", async () => {
    const parent = await newTask({ title: "Migrate mail" });
    const child = await newTask({ title: "Export mailboxes", parentTaskId: parent.id, position: 1 });
    const grandchild = await newTask({ title: "Check sizes", parentTaskId: child.id });
    const subtasks = await call(stack.tasks, "listTasks", {
      pageSize: 10,
      pageToken: "",
      filter: `parent_task_id = "${parent.id}"`,
      orderBy: "position",
    });
    expect(subtasks.tasks.map((t) => t.id)).toEqual([child.id]);

    await expectStatus(
      call(stack.tasks, "updateTask", { task: Task.fromPartial({ id: parent.id, parentTaskId: grandchild.id }), updateMask: [] }),
      status.INVALID_ARGUMENT,
      /own ancestor/,
    );
    await call(stack.tasks, "deleteTask", { id: parent.id, etag: "" });
    await expectStatus(call(stack.tasks, "getTask", { id: grandchild.id }), status.NOT_FOUND);
  });

  it("drives times and the blocking reason from the status, and checks dependencies", async () => {
    await expectStatus(
      newTask({ title: "Blocked", status: TaskStatus.TASK_STATUS_BLOCKED }),
      status.INVALID_ARGUMENT,
      /task\.blocking_reason/,
    );
    const first = await newTask({ title: "First" });
    const second = await newTask({ title: "Second", dependsOn: [first.id], status: TaskStatus.TASK_STATUS_IN_PROGRESS });
    expect(second.startedAt).toBeInstanceOf(Date);
    expect(second.dependsOn).toEqual([first.id]);
    const done = await call(stack.tasks, "updateTask", {
      task: Task.fromPartial({ id: second.id, status: TaskStatus.TASK_STATUS_COMPLETED }),
      updateMask: [],
    });
    expect(done.completedAt).toBeInstanceOf(Date);
    await expectStatus(newTask({ title: "Bad dep", dependsOn: ["nope"] }), status.INVALID_ARGUMENT, /task\.depends_on\[0\]/);
    await expectStatus(
      newTask({ title: "Ghost dep", dependsOn: ["0190f5c8-0000-7000-8000-000000000000"] }),
      status.INVALID_ARGUMENT,
      /does not exist/,
    );
    await expectStatus(newTask({ title: "   " }), status.INVALID_ARGUMENT, /task\.title: is required/);
  });
});

describe("MachineService", () => {
  it("registers machines with capabilities and lists, keeping fingerprints unique", async () => {
    const machine = await call(stack.machines, "createMachine", {
      machine: Machine.fromPartial({
        hostname: "tech-laptop",
        fingerprint: "fp-1",
        platform: Platform.PLATFORM_LINUX,
        capabilities: { hasDocker: true, hasGit: true, vpnProfiles: ["office"] },
        installedTools: ["git", "docker"],
      }),
    });
    expect(machine.capabilities).toMatchObject({ hasDocker: true, hasGit: true, hasSsh: false, vpnProfiles: ["office"] });
    expect(machine.isActive).toBe(true);
    expect(machine.isPrimary).toBe(false);
    const withDocker = await call(stack.machines, "listMachines", {
      pageSize: 10,
      pageToken: "",
      filter: 'platform = "linux" AND installed_tools:"docker"',
      orderBy: "",
    });
    expect(withDocker.machines.map((m) => m.id)).toEqual([machine.id]);
    await expectStatus(
      call(stack.machines, "createMachine", { machine: Machine.fromPartial({ hostname: "other", fingerprint: "fp-1" }) }),
      status.ALREADY_EXISTS,
      /fingerprint/,
    );

    // Updating one list keeps the others.
    const updated = await call(stack.machines, "updateMachine", {
      machine: Machine.fromPartial({ id: machine.id, availableMcps: ["github"] }),
      updateMask: [],
    });
    expect(updated.availableMcps).toEqual(["github"]);
    expect(updated.installedTools).toEqual(["git", "docker"]);
  });
});

import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Machine } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import type { FindRecentWorkRequest } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { likePattern } from "../recent-work-request";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

let serial = 0;
const unique = () => `${Date.now().toString(36)}-${++serial}`;
const find = (request: Partial<FindRecentWorkRequest>) =>
  call(stack.sessions, "findRecentWork", { projectId: "", clientId: "", terms: [], pageSize: 0, ...request });
const newSession = (partial: Partial<Session>) => call(stack.sessions, "createSession", { session: Session.fromPartial(partial) });
const newItem = (partial: Partial<WorkItem>) => call(stack.workItems, "createWorkItem", { workItem: WorkItem.fromPartial(partial) });
const newProblem = (partial: Partial<ProblemSolution>) =>
  call(stack.problemSolutions, "createProblemSolution", { problemSolution: ProblemSolution.fromPartial(partial) });

/** A client with two projects, a machine, and a session in each project and one in none. */
async function clientWithWork() {
  const u = unique();
  const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Recent ${u}` }) });
  const project = await call(stack.projects, "createProject", {
    project: Project.fromPartial({ clientId: client.id, name: `Portal ${u}`, slug: `portal-${u}` }),
  });
  const other = await call(stack.projects, "createProject", {
    project: Project.fromPartial({ clientId: client.id, name: `Mail ${u}`, slug: `mail-${u}` }),
  });
  const machine = await call(stack.machines, "createMachine", {
    machine: Machine.fromPartial({ hostname: `host-${u}`, fingerprint: `fp-${u}`, friendlyName: `LAPTOP-${u}` }),
  });
  const inProject = await newSession({
    clientId: client.id,
    projectId: project.id,
    machineId: machine.id,
    startedAt: new Date("2026-03-02T09:00:00Z"),
    endedAt: new Date("2026-03-02T11:30:00Z"),
  });
  const inOther = await newSession({ clientId: client.id, projectId: other.id, startedAt: new Date("2026-04-01T08:00:00Z") });
  const inNone = await newSession({ clientId: client.id, startedAt: new Date("2026-04-02T08:00:00Z") });
  return { client, project, other, machine, inProject, inOther, inNone };
}

describe("SessionService FindRecentWork", () => {
  it("returns a project's work items and problem solutions, then the client's other work, with their sessions", async () => {
    const w = await clientWithWork();
    const backup = await newItem({
      sessionId: w.inProject.id,
      title: "Nightly backup restored",
      problem: "backup job fails every night",
      cause: "the NAS share was renamed",
      fix: "pointed the job at \\\\nas01\\backups",
      verify: "the 02:00 run finished",
      affectedSystems: ["nas01"],
    });
    const mailFix = await newItem({ sessionId: w.inOther.id, title: "Mail relay", fix: "set relayhost" });
    const loose = await newItem({ sessionId: w.inNone.id, title: "Printer queue cleared" });
    const problem = await newProblem({
      workItemId: backup.id,
      errorMessage: "KeyError: 'ContainerConfig'",
      rootCause: "docker-compose v1 with a newer engine",
      solution: "use docker compose v2",
    });

    const answer = await find({ projectId: w.project.id, clientId: w.client.id });
    expect(answer.workItems.map((item) => item.id).sort()).toEqual([backup.id, mailFix.id, loose.id].sort());
    expect(answer.workItems.find((item) => item.id === backup.id)).toMatchObject({
      problem: "backup job fails every night",
      cause: "the NAS share was renamed",
      verify: "the 02:00 run finished",
      affectedSystems: ["nas01"],
    });
    expect(answer.problemSolutions.map((p) => p.id)).toEqual([problem.id]);
    expect(answer.problemSolutions[0]).toMatchObject({ sessionId: w.inProject.id, solution: "use docker compose v2" });
    const session = answer.sessions.find((s) => s.id === w.inProject.id);
    expect(session).toEqual({
      id: w.inProject.id,
      projectId: w.project.id,
      clientId: w.client.id,
      machineId: w.machine.id,
      machineName: w.machine.friendlyName,
      startedAt: new Date("2026-03-02T09:00:00Z"),
      endedAt: new Date("2026-03-02T11:30:00Z"),
    });
    expect(answer.sessions.map((s) => s.id).sort()).toEqual([w.inProject.id, w.inOther.id, w.inNone.id].sort());
    expect(answer.sessions.find((s) => s.id === w.inNone.id)).toMatchObject({ projectId: "", machineId: "", machineName: "" });

    // The project alone: the client's other work is left out; another client's work never comes.
    const projectOnly = await find({ projectId: w.project.id });
    expect(projectOnly.workItems.map((item) => item.id)).toEqual([backup.id]);
    const stranger = await clientWithWork();
    await newItem({ sessionId: stranger.inProject.id, title: "Someone else's work" });
    expect((await find({ clientId: w.client.id })).workItems.map((item) => item.title).sort()).toEqual(
      ["Mail relay", "Nightly backup restored", "Printer queue cleared"].sort(),
    );
  });

  it("keeps the newest records within the page size, and finds older ones by their words", async () => {
    const w = await clientWithWork();
    const oldest = await newItem({ sessionId: w.inProject.id, title: "Firewall rule for the VPN", fix: "allowed udp/1194 on fw01" });
    const newer: string[] = [];
    for (let i = 0; i < 4; i++) newer.push((await newItem({ sessionId: w.inProject.id, title: `Routine check ${i}` })).id);
    const tagged = await newItem({ sessionId: w.inOther.id, title: "Switch replaced", affectedSystems: ["SW-Core-02"] });

    const recent = await find({ projectId: w.project.id, pageSize: 3 });
    expect(recent.workItems.map((item) => item.id)).toEqual(newer.slice(1).reverse());

    const asked = await find({ projectId: w.project.id, clientId: w.client.id, pageSize: 3, terms: ["UDP/1194", "sw-core"] });
    const ids = asked.workItems.map((item) => item.id);
    expect(ids).toContain(oldest.id);
    expect(ids).toContain(tagged.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Newest first, all parts together.
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it("takes a term's % and _ as themselves", async () => {
    expect(likePattern("50%_off!")).toBe("%50!%!_off!!%");
    const w = await clientWithWork();
    await newItem({ sessionId: w.inProject.id, title: "Disk at 95 percent" });
    const percent = await newItem({ sessionId: w.inProject.id, title: "Disk at 95% full" });
    const found = await find({ projectId: w.project.id, pageSize: 1, terms: ["95%"] });
    expect(found.workItems.map((item) => item.id)).toContain(percent.id);
    expect(found.workItems.map((item) => item.title)).not.toContain("Disk at 95 percent");
  });

  it("answers nothing for a project without work, and refuses bad input naming the field", async () => {
    const w = await clientWithWork();
    expect(await find({ projectId: w.other.id })).toEqual({ workItems: [], problemSolutions: [], sessions: [] });
    await expectStatus(find({}), status.INVALID_ARGUMENT, "project_id");
    await expectStatus(find({ projectId: "not-a-uuid" }), status.INVALID_ARGUMENT, "project_id");
    await expectStatus(find({ clientId: "nope" }), status.INVALID_ARGUMENT, "client_id");
    await expectStatus(find({ projectId: w.project.id, pageSize: 101 }), status.INVALID_ARGUMENT, "page_size");
    await expectStatus(find({ projectId: w.project.id, terms: ["ok-term", "ab"] }), status.INVALID_ARGUMENT, "terms[1]");
    await expectStatus(
      find({ projectId: w.project.id, terms: Array.from({ length: 17 }, (_, i) => `term${i}`) }),
      status.INVALID_ARGUMENT,
      "terms",
    );
  });
});

import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Client, ClientType } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Session, SessionStatus } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { Machine } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { Tag } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const at = (time: string) => new Date(`2026-03-02T${time}:00Z`);

describe("SessionService", () => {
  it("derives the duration from the times and keeps it in step on update", async () => {
    const session = await call(stack.sessions, "createSession", {
      session: Session.fromPartial({ title: "Fix DNS", startedAt: at("10:00"), endedAt: at("11:25") }),
    });
    expect(session.durationMinutes).toBe(85);
    expect(session.status).toBe(SessionStatus.SESSION_STATUS_IN_PROGRESS);
    const longer = await call(stack.sessions, "updateSession", {
      session: Session.fromPartial({ id: session.id, etag: session.etag, endedAt: at("12:00") }),
      updateMask: [],
    });
    expect(longer.durationMinutes).toBe(120);
    await expectStatus(
      call(stack.sessions, "updateSession", {
        session: Session.fromPartial({ id: session.id, etag: "", endedAt: at("09:00") }),
        updateMask: [],
      }),
      status.INVALID_ARGUMENT,
      /session\.ended_at/,
    );
    // duration is output only: naming it in a mask is refused
    await expectStatus(
      call(stack.sessions, "updateSession", {
        session: Session.fromPartial({ id: session.id, etag: "" }),
        updateMask: ["duration_minutes"],
      }),
      status.INVALID_ARGUMENT,
      /update_mask/,
    );
  });

  it("starts now when no start is given and ends when completed", async () => {
    const before = Date.now();
    const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({}) });
    expect(session.startedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(session.endedAt).toBeUndefined();
    const done = await call(stack.sessions, "updateSession", {
      session: Session.fromPartial({ id: session.id, etag: "", status: SessionStatus.SESSION_STATUS_COMPLETED }),
      updateMask: [],
    });
    expect(done.endedAt).toBeInstanceOf(Date);
    expect(done.durationMinutes).toBe(0);
  });

  it("is billable by default for paying clients only, and an explicit value wins", async () => {
    const paying = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Paying" }) });
    const internal = await call(stack.clients, "createClient", {
      client: Client.fromPartial({ name: "Shop", clientType: ClientType.CLIENT_TYPE_INTERNAL }),
    });
    expect((await call(stack.sessions, "createSession", { session: Session.fromPartial({ clientId: paying.id }) })).isBillable).toBe(true);
    expect((await call(stack.sessions, "createSession", { session: Session.fromPartial({ clientId: internal.id }) })).isBillable).toBe(
      false,
    );
    expect(
      (await call(stack.sessions, "createSession", { session: Session.fromPartial({ clientId: paying.id, isBillable: false }) }))
        .isBillable,
    ).toBe(false);
  });

  it("takes the client from the project and refuses a project of another client", async () => {
    const a = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Client A" }) });
    const b = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Client B" }) });
    const project = await call(stack.projects, "createProject", {
      project: Project.fromPartial({ clientId: a.id, name: "A site", slug: "a-site" }),
    });
    const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({ projectId: project.id }) });
    expect(session.clientId).toBe(a.id);
    await expectStatus(
      call(stack.sessions, "createSession", { session: Session.fromPartial({ projectId: project.id, clientId: b.id }) }),
      status.INVALID_ARGUMENT,
      /project_id/,
    );
  });

  it("tags sessions with lower-cased names, counts usage, and removes tags", async () => {
    const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({}) });
    const tagged = await call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "  Docker " });
    expect(tagged.tags).toEqual(["docker"]);
    expect(tagged.etag).not.toBe(session.etag);
    const twice = await call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "DOCKER" });
    expect(twice.tags).toEqual(["docker"]);
    await call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "dns" });
    const tags = await call(stack.tags, "listTags", { pageSize: 10, pageToken: "", filter: 'name = "docker"', orderBy: "" });
    expect(tags.tags[0]?.usageCount).toBe(1);

    const listed = await call(stack.sessions, "getSession", { id: session.id });
    expect(listed.tags).toEqual(["dns", "docker"]);
    const removed = await call(stack.sessions, "removeSessionTag", { sessionId: session.id, tag: "docker" });
    expect(removed.tags).toEqual(["dns"]);
    const after = await call(stack.tags, "listTags", { pageSize: 10, pageToken: "", filter: 'name = "docker"', orderBy: "" });
    expect(after.tags[0]?.usageCount).toBe(0);

    await expectStatus(
      call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "no spaces allowed" }),
      status.INVALID_ARGUMENT,
      /tag/,
    );
    await expectStatus(call(stack.sessions, "addSessionTag", { sessionId: "nope", tag: "x" }), status.INVALID_ARGUMENT, /session_id/);
    await expectStatus(
      call(stack.sessions, "addSessionTag", { sessionId: "0190f5c8-0000-7000-8000-000000000000", tag: "x" }),
      status.NOT_FOUND,
    );

    const byTag = await call(stack.sessions, "listSessions", { pageSize: 10, pageToken: "", filter: 'tags:"dns"', orderBy: "" });
    expect(byTag.sessions.map((s) => s.id)).toEqual([session.id]);

    // A tag's name is for life; deleting a tag takes it off its sessions.
    const dnsTag = (await call(stack.tags, "listTags", { pageSize: 1, pageToken: "", filter: 'name = "dns"', orderBy: "" })).tags[0]!;
    await expectStatus(
      call(stack.tags, "updateTag", { tag: Tag.fromPartial({ id: dnsTag.id, name: "domains" }), updateMask: [] }),
      status.INVALID_ARGUMENT,
      /tag\.name: cannot be changed/,
    );
    await call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "doomed" });
    const doomed = (await call(stack.tags, "listTags", { pageSize: 1, pageToken: "", filter: 'name = "doomed"', orderBy: "" })).tags[0]!;
    await call(stack.tags, "deleteTag", { id: doomed.id, etag: "" });
    expect((await call(stack.sessions, "getSession", { id: session.id })).tags).toEqual(["dns"]);

    // Deleting the session removes its tag links and lowers the counts.
    await call(stack.sessions, "deleteSession", { id: session.id, etag: "" });
    const dns = await call(stack.tags, "listTags", { pageSize: 10, pageToken: "", filter: 'name = "dns"', orderBy: "" });
    expect(dns.tags[0]?.usageCount).toBe(0);
  });

  it("keeps Claude's session id unique per machine", async () => {
    const machine = await call(stack.machines, "createMachine", {
      machine: Machine.fromPartial({ hostname: "laptop", fingerprint: "fp-sessions" }),
    });
    await call(stack.sessions, "createSession", { session: Session.fromPartial({ machineId: machine.id, externalSessionId: "claude-1" }) });
    await expectStatus(
      call(stack.sessions, "createSession", { session: Session.fromPartial({ machineId: machine.id, externalSessionId: "claude-1" }) }),
      status.ALREADY_EXISTS,
    );
    const found = await call(stack.sessions, "listSessions", {
      pageSize: 5,
      pageToken: "",
      filter: `machine_id = "${machine.id}" AND external_session_id = "claude-1"`,
      orderBy: "",
    });
    expect(found.sessions).toHaveLength(1);
  });
});

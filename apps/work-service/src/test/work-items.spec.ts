import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Client, ClientType } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import {
  WorkItem,
  WorkItemCategory,
  WorkItemCategorySource,
  WorkItemPriority,
  WorkItemStatus,
} from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const newSession = (partial: Partial<Session> = {}) => call(stack.sessions, "createSession", { session: Session.fromPartial(partial) });
const newItem = (partial: Partial<WorkItem>) => call(stack.workItems, "createWorkItem", { workItem: WorkItem.fromPartial(partial) });
const updateItem = (partial: Partial<WorkItem>, updateMask: string[] = []) =>
  call(stack.workItems, "updateWorkItem", { workItem: WorkItem.fromPartial(partial), updateMask });
const listItems = (filter: string, orderBy = "") =>
  call(stack.workItems, "listWorkItems", { pageSize: 100, pageToken: "", filter, orderBy });

describe("WorkItemService", () => {
  it("records work items in session order, completed and billable like their session by default", async () => {
    const paying = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Items Paying" }) });
    const shop = await call(stack.clients, "createClient", {
      client: Client.fromPartial({ name: "Items Shop", clientType: ClientType.CLIENT_TYPE_INTERNAL }),
    });
    const billable = await newSession({ clientId: paying.id });
    const internal = await newSession({ clientId: shop.id });

    const first = await newItem({ sessionId: billable.id, title: "Check the mail queue" });
    // Recorded already done with no start: how long it took is unknown, not 0.
    expect(first).toMatchObject({
      status: WorkItemStatus.WORK_ITEM_STATUS_COMPLETED,
      position: 1,
      isBillable: true,
      actualMinutes: undefined,
    });
    expect(first.completedAt).toBeInstanceOf(Date);
    expect(first.completedAt!.getTime()).toBeGreaterThanOrEqual(first.createdAt!.getTime());
    expect(first.etag).not.toBe("");
    const second = await newItem({ sessionId: billable.id, title: "Second", status: WorkItemStatus.WORK_ITEM_STATUS_IN_PROGRESS });
    expect(second).toMatchObject({ position: 2, completedAt: undefined, actualMinutes: undefined });
    const placed = await newItem({ sessionId: billable.id, title: "Placed", position: 10, isBillable: false });
    expect(placed).toMatchObject({ position: 10, isBillable: false });
    expect((await newItem({ sessionId: billable.id, title: "After" })).position).toBe(11);

    expect((await newItem({ sessionId: internal.id, title: "Internal work" })).isBillable).toBe(false);
    expect((await newItem({ sessionId: internal.id, title: "Billed anyway", isBillable: true })).isBillable).toBe(true);

    const ordered = await listItems(`session_id = "${billable.id}"`, "position desc");
    expect(ordered.workItems.map((w) => w.title)).toEqual(["After", "Placed", "Second", "Check the mail queue"]);
  });

  it("guesses the category when none is given, says so, and lets a given one win", async () => {
    const session = await newSession();
    const guessed = await newItem({ sessionId: session.id, title: "Restart the print server", description: "Spooler error after update" });
    // title: server (3); description: error (1), update (1)
    expect(guessed.category).toBe(WorkItemCategory.WORK_ITEM_CATEGORY_INFRASTRUCTURE);
    expect(guessed.categorySource).toBe(WorkItemCategorySource.WORK_ITEM_CATEGORY_SOURCE_GUESSED);

    const nothing = await newItem({ sessionId: session.id, title: "Talked to the office manager" });
    expect(nothing.category).toBe(WorkItemCategory.WORK_ITEM_CATEGORY_MAINTENANCE);
    expect(nothing.categorySource).toBe(WorkItemCategorySource.WORK_ITEM_CATEGORY_SOURCE_GUESSED);

    const given = await newItem({
      sessionId: session.id,
      title: "Restart the server",
      category: WorkItemCategory.WORK_ITEM_CATEGORY_DOCUMENTATION,
    });
    expect(given.category).toBe(WorkItemCategory.WORK_ITEM_CATEGORY_DOCUMENTATION);
    expect(given.categorySource).toBe(WorkItemCategorySource.WORK_ITEM_CATEGORY_SOURCE_GIVEN);

    // A guess follows the text; a given category does not.
    const retitled = await updateItem({ id: guessed.id, title: "Remove malware from the print server" }, ["title"]);
    expect(retitled.category).toBe(WorkItemCategory.WORK_ITEM_CATEGORY_SECURITY);
    const kept = await updateItem({ id: given.id, title: "Remove malware" }, ["title"]);
    expect(kept.category).toBe(WorkItemCategory.WORK_ITEM_CATEGORY_DOCUMENTATION);
    // Overriding a guess makes it given; clearing the category asks for a new guess.
    const overridden = await updateItem({ id: guessed.id, category: WorkItemCategory.WORK_ITEM_CATEGORY_TROUBLESHOOTING }, ["category"]);
    expect(overridden.categorySource).toBe(WorkItemCategorySource.WORK_ITEM_CATEGORY_SOURCE_GIVEN);
    const cleared = await updateItem({ id: guessed.id }, ["category"]);
    expect(cleared).toMatchObject({
      category: WorkItemCategory.WORK_ITEM_CATEGORY_SECURITY,
      categorySource: WorkItemCategorySource.WORK_ITEM_CATEGORY_SOURCE_GUESSED,
    });
    // category_source is the service's to say.
    await expectStatus(
      updateItem({ id: guessed.id }, ["category_source"]),
      status.INVALID_ARGUMENT,
      /update_mask: category_source cannot be changed/,
    );

    const security = await listItems(`session_id = "${session.id}" AND category = "security" AND category_source = "guessed"`);
    expect(security.workItems.map((w) => w.id)).toEqual([guessed.id]);
  });

  it("takes the dense form as parts or as one text, and returns both", async () => {
    const session = await newSession();
    const fromParts = await newItem({
      sessionId: session.id,
      title: "VPN down for remote staff",
      problem: "Remote staff could not connect",
      cause: "Expired server certificate",
      fix: "Renewed the certificate",
    });
    expect(fromParts.description).toBe(
      "Problem: Remote staff could not connect\nCause: Expired server certificate\nFix: Renewed the certificate",
    );
    expect(fromParts.verify).toBeUndefined();

    const fromText = await newItem({
      sessionId: session.id,
      title: "Printer",
      description: "problem: prints blank pages\nfix: replaced toner\nverify: test page ok",
    });
    expect(fromText).toMatchObject({
      problem: "prints blank pages",
      fix: "replaced toner",
      verify: "test page ok",
      description: "Problem: prints blank pages\nFix: replaced toner\nVerify: test page ok",
    });
    expect(fromText.cause).toBeUndefined();

    const verified = await updateItem({ id: fromParts.id, verify: "Two users connected from home" }, ["verify"]);
    expect(verified.description).toBe(`${fromParts.description}\nVerify: Two users connected from home`);

    const free = await newItem({ sessionId: session.id, title: "Call", description: "Called the ISP about the outage." });
    expect(free).toMatchObject({ description: "Called the ISP about the outage.", problem: undefined });
    await expectStatus(updateItem({ id: free.id, fix: "Reset modem" }, ["fix"]), status.INVALID_ARGUMENT, /work_item\.fix/);
    await expectStatus(
      newItem({ sessionId: session.id, title: "Both", problem: "A", description: "Problem: B" }),
      status.INVALID_ARGUMENT,
      /work_item\.description: disagrees/,
    );
  });

  it("derives completion and actual minutes from the status, unless given", async () => {
    const session = await newSession();
    const open = await newItem({ sessionId: session.id, title: "Long job", status: WorkItemStatus.WORK_ITEM_STATUS_IN_PROGRESS });
    const later = new Date(open.createdAt!.getTime() + 90 * 60_000);
    const done = await updateItem({ id: open.id, etag: open.etag, status: WorkItemStatus.WORK_ITEM_STATUS_COMPLETED, completedAt: later });
    expect(done).toMatchObject({ completedAt: later, actualMinutes: 90 });
    const typed = await updateItem({ id: open.id, actualMinutes: 75 }, ["actual_minutes"]);
    expect(typed.actualMinutes).toBe(75);
    const reopened = await updateItem({ id: open.id, status: WorkItemStatus.WORK_ITEM_STATUS_BLOCKED }, ["status"]);
    expect(reopened).toMatchObject({ completedAt: undefined, actualMinutes: 75 });
    await expectStatus(
      newItem({ sessionId: session.id, title: "Pending", status: WorkItemStatus.WORK_ITEM_STATUS_PENDING, completedAt: later }),
      status.INVALID_ARGUMENT,
      /work_item\.completed_at/,
    );
    // A stale etag is refused.
    await expectStatus(updateItem({ id: open.id, etag: open.etag, title: "Stale" }), status.ABORTED);
  });

  it("takes the minutes of work recorded after the fact from its start and end, never completing before the start", async () => {
    const session = await newSession();
    const when = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes));
    const recorded = await newItem({ sessionId: session.id, title: "Patched the host", startedAt: when(0), completedAt: when(47) });
    expect(recorded).toMatchObject({ startedAt: when(0), completedAt: when(47), actualMinutes: 47 });
    const moved = await updateItem({ id: recorded.id, startedAt: when(17) }, ["started_at"]);
    expect(moved.actualMinutes).toBe(30);
    await expectStatus(
      newItem({ sessionId: session.id, title: "Backwards", startedAt: when(30), completedAt: when(10) }),
      status.INVALID_ARGUMENT,
      /work_item\.completed_at: must not be before the work's start, started_at/,
    );
    await expectStatus(
      newItem({ sessionId: session.id, title: "No start", completedAt: when(10) }),
      status.INVALID_ARGUMENT,
      /work_item\.completed_at: .*give started_at as well/,
    );
    // Work items of the session started now: done later, its minutes run from its start.
    const open = await newItem({ sessionId: session.id, title: "Running", status: WorkItemStatus.WORK_ITEM_STATUS_IN_PROGRESS });
    expect(open.startedAt).toEqual(open.createdAt);
  });

  it("filters on status, priority, billable flag and date ranges", async () => {
    const session = await newSession();
    const when = (hours: number) => new Date(Date.UTC(2026, 2, 2, hours));
    const early = await newItem({
      sessionId: session.id,
      title: "Early",
      startedAt: when(8),
      completedAt: when(9),
      priority: WorkItemPriority.WORK_ITEM_PRIORITY_HIGH,
    });
    const late = await newItem({ sessionId: session.id, title: "Late", startedAt: when(14), completedAt: when(15), isBillable: true });
    await newItem({ sessionId: session.id, title: "Open", status: WorkItemStatus.WORK_ITEM_STATUS_PENDING });
    const inSession = `session_id = "${session.id}"`;
    const ids = async (filter: string) => (await listItems(`${inSession} AND ${filter}`, "position")).workItems.map((w) => w.title);
    expect(await ids('completed_at >= "2026-03-02T08:00:00Z" AND completed_at < "2026-03-02T12:00:00Z"')).toEqual(["Early"]);
    expect(await ids('completed_at >= "2026-03-02T12:00:00Z"')).toEqual(["Late"]);
    expect(await ids('status = "pending"')).toEqual(["Open"]);
    expect(await ids("status = WORK_ITEM_STATUS_COMPLETED")).toEqual(["Early", "Late"]);
    expect(await ids('priority = "high"')).toEqual(["Early"]);
    expect(await ids("is_billable = true")).toEqual(["Late"]);
    expect(await ids(`created_at >= "${early.createdAt!.toISOString()}"`)).toEqual(["Early", "Late", "Open"]);
    expect(await ids(`created_at > "${late.createdAt!.toISOString()}"`)).toEqual(["Open"]);

    // Paging in position order.
    const page1 = await call(stack.workItems, "listWorkItems", { pageSize: 2, pageToken: "", filter: inSession, orderBy: "position" });
    const page2 = await call(stack.workItems, "listWorkItems", {
      pageSize: 2,
      pageToken: page1.nextPageToken,
      filter: inSession,
      orderBy: "position",
    });
    expect([...page1.workItems, ...page2.workItems].map((w) => w.title)).toEqual(["Early", "Late", "Open"]);
    expect(page2.nextPageToken).toBe("");
  });

  it("belongs to an existing session for life", async () => {
    const session = await newSession();
    const other = await newSession();
    await expectStatus(newItem({ title: "No session" }), status.INVALID_ARGUMENT, /work_item\.session_id: is required/);
    await expectStatus(
      newItem({ sessionId: "0190f5c8-0000-7000-8000-000000000000", title: "Ghost" }),
      status.INVALID_ARGUMENT,
      /work_item\.session_id: no session has id/,
    );
    await expectStatus(newItem({ sessionId: session.id, title: "   " }), status.INVALID_ARGUMENT, /work_item\.title: is required/);
    const item = await newItem({ sessionId: session.id, title: "Mine" });
    await expectStatus(
      updateItem({ id: item.id, sessionId: other.id }),
      status.INVALID_ARGUMENT,
      /work_item\.session_id: cannot be changed/,
    );
  });

  it("tags work items, keeps tag counts, and releases them on delete", async () => {
    const session = await newSession();
    const item = await newItem({ sessionId: session.id, title: "Tagged" });
    const other = await newItem({ sessionId: session.id, title: "Also tagged" });
    const tagged = await call(stack.workItems, "addWorkItemTag", { workItemId: item.id, tag: " Exchange " });
    expect(tagged.tags).toEqual(["exchange"]);
    expect(tagged.etag).not.toBe(item.etag);
    await call(stack.workItems, "addWorkItemTag", { workItemId: item.id, tag: "exchange" });
    await call(stack.workItems, "addWorkItemTag", { workItemId: item.id, tag: "dns" });
    await call(stack.workItems, "addWorkItemTag", { workItemId: other.id, tag: "exchange" });
    await call(stack.sessions, "addSessionTag", { sessionId: session.id, tag: "exchange" });
    const usage = async (name: string) =>
      (await call(stack.tags, "listTags", { pageSize: 1, pageToken: "", filter: `name = "${name}"`, orderBy: "" })).tags[0]?.usageCount;
    expect(await usage("exchange")).toBe(3);

    const byTag = await listItems(`session_id = "${session.id}" AND tags:"exchange"`, "position");
    expect(byTag.workItems.map((w) => w.id)).toEqual([item.id, other.id]);
    const removed = await call(stack.workItems, "removeWorkItemTag", { workItemId: item.id, tag: "dns" });
    expect(removed.tags).toEqual(["exchange"]);
    expect(await usage("dns")).toBe(0);

    await expectStatus(call(stack.workItems, "addWorkItemTag", { workItemId: "nope", tag: "x" }), status.INVALID_ARGUMENT, /^work_item_id/);
    await expectStatus(call(stack.workItems, "addWorkItemTag", { workItemId: item.id, tag: "two words" }), status.INVALID_ARGUMENT, /^tag/);
    await expectStatus(
      call(stack.workItems, "removeWorkItemTag", { workItemId: "0190f5c8-0000-7000-8000-000000000000", tag: "x" }),
      status.NOT_FOUND,
    );

    // Deleting a tag takes it off work items; deleting items and sessions lowers the counts.
    await call(stack.workItems, "addWorkItemTag", { workItemId: other.id, tag: "doomed" });
    const doomed = (await call(stack.tags, "listTags", { pageSize: 1, pageToken: "", filter: 'name = "doomed"', orderBy: "" })).tags[0]!;
    await call(stack.tags, "deleteTag", { id: doomed.id, etag: "" });
    expect((await call(stack.workItems, "getWorkItem", { id: other.id })).tags).toEqual(["exchange"]);
    await call(stack.workItems, "deleteWorkItem", { id: item.id, etag: "" });
    expect(await usage("exchange")).toBe(2);
    await call(stack.sessions, "deleteSession", { id: session.id, etag: "" });
    expect(await usage("exchange")).toBe(0);
    await expectStatus(call(stack.workItems, "getWorkItem", { id: other.id }), status.NOT_FOUND);
  });

  it("deletes with an etag check", async () => {
    const session = await newSession();
    const item = await newItem({ sessionId: session.id, title: "Short-lived" });
    await expectStatus(call(stack.workItems, "deleteWorkItem", { id: item.id, etag: "stale" }), status.ABORTED);
    await call(stack.workItems, "deleteWorkItem", { id: item.id, etag: item.etag });
    await expectStatus(call(stack.workItems, "getWorkItem", { id: item.id }), status.NOT_FOUND);
  });
});

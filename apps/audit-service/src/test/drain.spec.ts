// The drain, from outside: outbox rows written as services write them (each in its own
// transaction, some rolled back, some committing out of order, two audit instances at once) must
// each land in the chain exactly once, with dense seqs, verifying, and with checkpoints.
import { writeAuditEvent } from "@msp/resource-kit";
import { call, withSlowness } from "@msp/testing";
import type { AuditStack } from "./audit-stack";
import { countOf, drained, eventually, startAuditStack, testContext, verify, writeChanges } from "./audit-stack";

jest.setTimeout(withSlowness(180_000));

let stack: AuditStack;
beforeAll(async () => {
  stack = await startAuditStack();
}, 300_000);
afterAll(() => stack?.stop(), 120_000);

async function chainIsDense(): Promise<void> {
  const rows = await stack.db.select<{ seq: unknown; id: string }>("SELECT seq, id FROM audit_events ORDER BY seq", []);
  const seqs = rows.map((r) => Number(r.seq));
  const first = seqs[0] ?? 1;
  expect(seqs).toEqual(seqs.map((_, i) => first + i));
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
}

test("every committed outbox row is chained once, in dense seqs, and the chain verifies", async () => {
  const before = await countOf(stack.db, "audit_events");
  await writeChanges(stack.db, 25, "dense");
  await drained(stack.db);
  expect(await countOf(stack.db, "audit_events")).toBe(before + 25);
  await chainIsDense();
  const result = await verify(stack.client);
  expect(result.failure).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(Number(result.checkedEvents)).toBe(before + 25);
});

test("a rolled-back change yields no event; a transaction that commits late is chained after the ones it overlapped", async () => {
  await expect(
    stack.db.transaction(async (transaction) => {
      await writeAuditEvent(transaction, testContext, { resourceType: "thing", resourceId: "rolled-back", action: "create" });
      throw new Error("the change failed");
    }),
  ).rejects.toThrow("the change failed");

  // A long transaction writes its row first and commits last (on SQLite writers take turns, so
  // the "late" one simply commits after).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const late =
    stack.database.dialect === "mariadb"
      ? stack.db.transaction(async (transaction) => {
          await writeAuditEvent(transaction, testContext, { resourceType: "thing", resourceId: "late", action: "update" });
          await held;
        })
      : Promise.resolve();
  try {
    await writeChanges(stack.db, 3, "early");
    // The drain does not wait for the open transaction: the committed rows are chained meanwhile.
    await eventually(async () => (await countOf(stack.db, "audit_events", "WHERE resource_id LIKE 'early-%'")) === 3, "the early rows");
  } finally {
    release();
    await late;
  }
  if (stack.database.dialect === "sqlite") {
    await stack.db.transaction((transaction) =>
      writeAuditEvent(transaction, testContext, { resourceType: "thing", resourceId: "late", action: "update" }),
    );
  }
  await drained(stack.db);
  expect(await countOf(stack.db, "audit_events", "WHERE resource_id = 'rolled-back'")).toBe(0);
  const [late1] = await stack.db.select<{ seq: unknown }>("SELECT seq FROM audit_events WHERE resource_id = 'late'", []);
  const [early] = await stack.db.select<{ seq: unknown }>("SELECT MAX(seq) AS seq FROM audit_events WHERE resource_id LIKE 'early-%'", []);
  expect(Number(late1?.seq)).toBeGreaterThan(Number(early?.seq));
  await chainIsDense();
  expect((await verify(stack.client)).ok).toBe(true);
});

test("checkpoints are signed every 10 events (the test's spacing) and listed oldest first", async () => {
  await writeChanges(stack.db, 30, "cp");
  await drained(stack.db);
  const head = Number((await call(stack.client, "getAuditStatus", {})).headSeq);
  const { checkpoints } = await call(stack.client, "listAuditCheckpoints", { pageSize: 1000, pageToken: "", fromSeq: 0n });
  const seqs = checkpoints.map((c) => Number(c.seq));
  expect(seqs).toEqual(Array.from({ length: Math.floor(head / 10) }, (_, i) => (i + 1) * 10));
  for (const [i, checkpoint] of checkpoints.entries()) expect(Number(checkpoint.prevSeq)).toBe(i === 0 ? 0 : seqs[i - 1]);
  const keys = await call(stack.client, "getAuditKeys", {});
  expect(keys.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  expect(checkpoints.every((c) => c.publicKeyId === keys.publicKeyId)).toBe(true);
});

test("two instances on one database never both drain: under writes, every row once, dense, verifying", async () => {
  await stack.addInstance();
  const writers = Array.from({ length: 4 }, (_, w) => writeChanges(stack.db, 40, `two-${w}`));
  await Promise.all(writers);
  await drained(stack.db);
  expect(await countOf(stack.db, "audit_events", "WHERE resource_id LIKE 'two-%'")).toBe(160);
  await chainIsDense();
  const result = await verify(stack.client);
  expect(result.failure).toBeUndefined();
  expect(result.ok).toBe(true);
  const status = await call(stack.client, "getAuditStatus", {});
  expect(status.drainHolder).not.toBe("");
});

test("a resource's history lists its events in order; newest first by default", async () => {
  for (let i = 0; i < 3; i++) {
    await stack.db.transaction((transaction) =>
      writeAuditEvent(transaction, testContext, {
        resourceType: "thing",
        resourceId: "history-1",
        action: i === 0 ? "create" : "update",
        summary: { step: i },
      }),
    );
  }
  await drained(stack.db);
  const oldestFirst = await call(stack.client, "listAuditEvents", {
    pageSize: 10,
    pageToken: "",
    filter: 'resource_id = "history-1"',
    orderBy: "seq",
  });
  expect(oldestFirst.auditEvents.map((e) => e.requestSummary?.["step"])).toEqual([0, 1, 2]);
  const newest = await call(stack.client, "listAuditEvents", {
    pageSize: 2,
    pageToken: "",
    filter: 'resource_id = "history-1"',
    orderBy: "",
  });
  expect(newest.auditEvents.map((e) => e.requestSummary?.["step"])).toEqual([2, 1]);
  const rest = await call(stack.client, "listAuditEvents", {
    pageSize: 2,
    pageToken: newest.nextPageToken,
    filter: 'resource_id = "history-1"',
    orderBy: "",
  });
  expect(rest.auditEvents.map((e) => e.requestSummary?.["step"])).toEqual([0]);
  expect(rest.nextPageToken).toBe("");
  const first = oldestFirst.auditEvents[0]!;
  expect(first.service).toBe("test-service");
  expect(first.principal).toBe("tester");
  expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
});

// The chain altered with SQL behind the service's back, as someone with write access to the
// database could: each alteration must make VerifyAuditChain fail and name the first broken seq and
// why; put back, the chain verifies again.
import { call, withSlowness } from "@msp/testing";
import { VerifyProblem } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import type { AuditStack } from "./audit-stack";
import { eventColumns } from "../chain/event-rows";
import { drained, startAuditStack, verify, writeChanges } from "./audit-stack";

jest.setTimeout(withSlowness(180_000));

let stack: AuditStack;
beforeAll(async () => {
  stack = await startAuditStack();
  await writeChanges(stack.db, 45, "tamper", { note: "original" });
  // Event 46's resource id holds the character the verify's reader joins fields with.
  await writeChanges(stack.db, 1, "odd\u0001id", { note: "original" });
  await drained(stack.db);
}, 300_000);
afterAll(() => stack?.stop(), 120_000);

type Row = Record<string, unknown>;
/** Every column of audit_events but seq, in the order the chain store inserts them. */
const columns = eventColumns.filter((c) => c !== "seq");

async function eventRow(seq: number): Promise<Row> {
  const [row] = await stack.db.select<Row>(`SELECT * FROM audit_events WHERE seq = ?`, [seq]);
  if (!row) throw new Error(`no event ${seq}`);
  return row;
}

async function sql(statement: string, replacements: unknown[]): Promise<void> {
  await stack.db.sequelize.query(statement, { replacements });
}

async function setEvent(seq: number, values: Row): Promise<void> {
  const names = Object.keys(values);
  await sql(`UPDATE audit_events SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE seq = ?`, [...names.map((n) => values[n]), seq]);
}

async function insertEvent(seq: number, row: Row): Promise<void> {
  await sql(`INSERT INTO audit_events (seq, ${columns.join(", ")}) VALUES (?, ${columns.map(() => "?").join(", ")})`, [
    seq,
    ...columns.map((c) => row[c]),
  ]);
}

async function expectBroken(seq: number, problems: VerifyProblem[]): Promise<void> {
  const result = await verify(stack.client);
  expect(result.ok).toBe(false);
  expect(result.failure).toBeDefined();
  expect({ seq: Number(result.failure!.seq), problem: result.failure!.problem }).toEqual({ seq, problem: expect.anything() });
  expect(problems).toContain(result.failure!.problem);
  expect(result.failure!.detail).not.toBe("");
}

async function expectIntact(): Promise<void> {
  const result = await verify(stack.client);
  expect(result.failure).toBeUndefined();
  expect(result.ok).toBe(true);
}

test("the untouched chain verifies", async () => {
  await expectIntact();
});

test("editing one field of one event: hash mismatch at that seq", async () => {
  const row = await eventRow(17);
  await setEvent(17, { principal: "someone-else" });
  await expectBroken(17, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(17, { principal: row["principal"] });
  const summary = String(row["request_summary"]);
  await setEvent(17, { request_summary: summary.replace("original", "changed") });
  await expectBroken(17, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(17, { request_summary: summary });
  await expectIntact();
});

test("deleting one event: a gap at its seq; renumbering the rest to hide it: a broken link there", async () => {
  const row = await eventRow(23);
  await sql("DELETE FROM audit_events WHERE seq = ?", [23]);
  await expectBroken(23, [VerifyProblem.VERIFY_PROBLEM_SEQ_GAP]);
  await insertEvent(23, row);
  await expectIntact();

  // Event 23 deleted and 24 moved into its place: it no longer links to 22.
  const next = await eventRow(24);
  await sql("DELETE FROM audit_events WHERE seq IN (?, ?)", [23, 24]);
  await insertEvent(23, next);
  await expect(verify(stack.client)).resolves.toMatchObject({ ok: false });
  const result = await verify(stack.client);
  expect(Number(result.failure!.seq)).toBe(23);
  expect([
    VerifyProblem.VERIFY_PROBLEM_BROKEN_LINK,
    VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH,
    VerifyProblem.VERIFY_PROBLEM_REORDERED,
  ]).toContain(result.failure!.problem);
  await sql("DELETE FROM audit_events WHERE seq = ?", [23]);
  await insertEvent(23, row);
  await insertEvent(24, next);
  await expectIntact();
});

test("swapping two events: the chain breaks at the first of them", async () => {
  const a = await eventRow(31);
  const b = await eventRow(32);
  await sql("DELETE FROM audit_events WHERE seq IN (?, ?)", [31, 32]);
  await insertEvent(31, b);
  await insertEvent(32, a);
  await expectBroken(31, [
    VerifyProblem.VERIFY_PROBLEM_REORDERED,
    VerifyProblem.VERIFY_PROBLEM_BROKEN_LINK,
    VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH,
  ]);
  await sql("DELETE FROM audit_events WHERE seq IN (?, ?)", [31, 32]);
  await insertEvent(31, a);
  await insertEvent(32, b);
  await expectIntact();
});

test("editing a checkpoint: bad signature at its seq; deleting one: a missing checkpoint", async () => {
  const [checkpoint] = await stack.db.select<Row>("SELECT * FROM audit_checkpoints WHERE seq = 20", []);
  expect(checkpoint).toBeDefined();
  await sql("UPDATE audit_checkpoints SET hash = ? WHERE seq = 20", ["0".repeat(64)]);
  await expectBroken(20, [VerifyProblem.VERIFY_PROBLEM_BAD_SIGNATURE, VerifyProblem.VERIFY_PROBLEM_CHECKPOINT_MISMATCH]);
  await sql("UPDATE audit_checkpoints SET hash = ? WHERE seq = 20", [checkpoint!["hash"]]);
  await sql("UPDATE audit_checkpoints SET signed_at = ? WHERE seq = 20", [new Date("2020-01-01T00:00:00Z")]);
  await expectBroken(20, [VerifyProblem.VERIFY_PROBLEM_BAD_SIGNATURE]);
  await sql("UPDATE audit_checkpoints SET signed_at = ? WHERE seq = 20", [checkpoint!["signed_at"]]);
  await expectIntact();

  await sql("DELETE FROM audit_checkpoints WHERE seq = 20", []);
  const result = await verify(stack.client);
  expect(result.ok).toBe(false);
  expect(result.failure!.problem).toBe(VerifyProblem.VERIFY_PROBLEM_MISSING_CHECKPOINT);
  expect(Number(result.failure!.seq)).toBeGreaterThanOrEqual(20);
  expect(Number(result.failure!.seq)).toBeLessThanOrEqual(30);
  await sql("INSERT INTO audit_checkpoints (seq, hash, signed_at, prev_seq, signature, public_key_id) VALUES (?, ?, ?, ?, ?, ?)", [
    20,
    checkpoint!["hash"],
    checkpoint!["signed_at"],
    checkpoint!["prev_seq"],
    checkpoint!["signature"],
    checkpoint!["public_key_id"],
  ]);
  await expectIntact();
});

test("cutting the chain short after a checkpoint: events missing", async () => {
  const rows = [];
  for (const seq of [40, 41, 42, 43, 44, 45, 46]) rows.push(await eventRow(seq));
  await sql("DELETE FROM audit_events WHERE seq >= 40", []);
  const result = await verify(stack.client);
  expect(result.ok).toBe(false);
  expect(result.failure!.problem).toBe(VerifyProblem.VERIFY_PROBLEM_MISSING_EVENTS);
  expect(Number(result.failure!.seq)).toBe(40);
  for (const [i, row] of rows.entries()) await insertEvent(40 + i, row);
  await expectIntact();
});

test("a field holding the reader's separator verifies, and fails when it is altered", async () => {
  const row = await eventRow(46);
  expect(row["resource_id"]).toBe("odd\u0001id-0");
  await expectIntact();
  await setEvent(46, { resource_id: "odd\u0001id-1" });
  await expectBroken(46, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  // The separator put into a field that had none, shifting what follows it.
  await setEvent(46, { resource_id: row["resource_id"], principal: `${String(row["principal"])}\u0001x` });
  await expectBroken(46, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(46, { principal: row["principal"] });
  await expectIntact();
});

test("a field given quotes or a backslash to shift what follows it: hash mismatch", async () => {
  const row = await eventRow(12);
  const principal = String(row["principal"]);
  const resourceType = String(row["resource_type"]);
  // The principal swallows the resource type, which takes the resource id's place.
  await setEvent(12, { principal: `${principal}","${resourceType}`, resource_type: row["resource_id"], resource_id: null });
  await expectBroken(12, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  // A backslash at the end of a field, which a writer that did not escape would join to the quote after it.
  await setEvent(12, { principal: `${principal}\\`, resource_type: resourceType, resource_id: row["resource_id"] });
  await expectBroken(12, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(12, { principal });
  await expectIntact();
});

test("a null field made empty, or an empty one made null: hash mismatch", async () => {
  const row = await eventRow(12);
  expect(row["source_ip"]).toEqual(expect.any(String));
  await setEvent(12, { source_ip: null });
  await expectBroken(12, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(12, { source_ip: "" });
  await expectBroken(12, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(12, { source_ip: row["source_ip"], request_summary: null });
  await expectBroken(12, [VerifyProblem.VERIFY_PROBLEM_HASH_MISMATCH]);
  await setEvent(12, { request_summary: row["request_summary"] });
  await expectIntact();
});

test("a range verifies from the stored hash before it; a bad range is refused", async () => {
  const result = await verify(stack.client, 10n, 30n);
  expect(result.ok).toBe(true);
  expect(Number(result.firstSeq)).toBe(10);
  expect(Number(result.lastSeq)).toBe(30);
  await expect(verify(stack.client, 30n, 10n)).rejects.toMatchObject({ details: expect.stringContaining("from_seq") });
  await expect(verify(stack.client, 1000n, 0n)).rejects.toMatchObject({ details: expect.stringContaining("after the newest event") });
  await expect(
    call(stack.client, "listAuditEvents", { pageSize: 5, pageToken: "", filter: "nonsense ==", orderBy: "" }),
  ).rejects.toMatchObject({
    code: 3,
  });
});

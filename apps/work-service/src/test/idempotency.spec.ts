// Issue 18, "writes that never lie": during a MariaDB restart, billable-time creates answered 500/504
// although they were saved (the create read its row back after the commit, outside the
// transaction), and with no idempotency key a client retrying as told billed twice. Now a create
// answers from inside its transaction, and a create sent with an `idempotency-key` is applied once:
// its retry gets the first answer, the key with another body is refused, and ten at once make one entry.
import { randomUUID } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { ConnectionRefusedError } from "sequelize";
import type { Database } from "@msp/db";
import { bearerMetadata, call, expectStatus } from "@msp/testing";
import { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
let clientId: string;

beforeAll(async () => {
  stack = await startWorkStack();
  clientId = (await call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Idempotency ${Date.now()}` }) })).id;
});
afterAll(async () => {
  await stack.stop();
});

/** The admin's metadata, with an idempotency key when given. */
function keyed(key?: string): Metadata {
  const metadata = bearerMetadata(stack.service.adminToken);
  if (key !== undefined) metadata.set("idempotency-key", key);
  return metadata;
}

const entry = (description: string, durationMinutes = 30) =>
  BillableTime.fromPartial({ clientId, startedAt: new Date("2026-03-02T09:00:00Z"), durationMinutes, description });

const create = (description: string, key?: string, durationMinutes = 30) =>
  call(stack.billableTime, "createBillableTime", { billableTime: entry(description, durationMinutes) }, keyed(key));

async function entriesDescribed(description: string): Promise<BillableTime[]> {
  const page = await call(stack.billableTime, "listBillableTime", {
    pageSize: 500,
    pageToken: "",
    filter: `client_id = "${clientId}"`,
    orderBy: "",
  });
  return page.billableTime.filter((e) => e.description === description);
}

describe("a create that committed is answered", () => {
  it("even when the database goes away right after its commit", async () => {
    // The database's reads fail from the moment a transaction commits, as when MariaDB restarts
    // just then: the answer must already be in hand (it was read back afterwards, and failed).
    const db: Database = stack.service.service.db;
    const select = db.select.bind(db);
    const transaction = db.transaction.bind(db);
    let gone = false;
    db.select = (sql, params) =>
      gone ? Promise.reject(new ConnectionRefusedError(new Error("connect ECONNREFUSED 127.0.0.1:3306"))) : select(sql, params);
    db.transaction = async (fn) => {
      const result = await transaction(fn);
      gone = true;
      return result;
    };
    let created: BillableTime;
    try {
      created = await create("committed, then the database went away");
    } finally {
      db.select = select;
      db.transaction = transaction;
    }
    expect(created).toMatchObject({ description: "committed, then the database went away", durationMinutes: 30, roundedMinutes: 30 });
    expect(await call(stack.billableTime, "getBillableTime", { id: created.id })).toEqual(created);
  });
});

describe("a create with an idempotency key", () => {
  it("is applied once: its retry gets the same answer and bills nothing more", async () => {
    const key = randomUUID();
    const first = await create("retried with a key", key);
    const retry = await create("retried with a key", key);
    expect(retry).toEqual(first);
    expect(await entriesDescribed("retried with a key")).toHaveLength(1);
    // Without a key, the same body is another entry: keys are what make a retry safe.
    await create("retried with a key");
    expect(await entriesDescribed("retried with a key")).toHaveLength(2);
  });

  it("refuses the key with another body, naming the key, and creates nothing", async () => {
    const key = randomUUID();
    await create("first body for the key", key);
    await expectStatus(
      create("another body for the key", key, 45),
      status.FAILED_PRECONDITION,
      `Idempotency-Key "${key}" was already used for a different CreateBillableTime request; send a new key with a new request`,
    );
    expect(await entriesDescribed("another body for the key")).toHaveLength(0);
  });

  it("makes one entry of ten creates sent at once with one key, and gives each its answer", async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => create("ten at once", key)));
    const stored = await entriesDescribed("ten at once");
    expect(stored).toHaveLength(1);
    expect(answers.map((answer) => answer.id)).toEqual(Array(10).fill(stored[0]!.id));
  });

  it("refuses a key that is not 1 to 255 printable ASCII characters, naming the metadata", async () => {
    await expectStatus(create("bad key", "x".repeat(256)), status.INVALID_ARGUMENT, /^idempotency-key: must be at most 255 characters/);
    expect(await entriesDescribed("bad key")).toHaveLength(0);
  });

  it("applies an update once too", async () => {
    const created = await create("updated with a key");
    const key = randomUUID();
    const update = () =>
      call(
        stack.billableTime,
        "updateBillableTime",
        {
          billableTime: BillableTime.fromPartial({ id: created.id, etag: created.etag, durationMinutes: 50 }),
          updateMask: ["duration_minutes"],
        },
        keyed(key),
      );
    const first = await update();
    // With the etag it was sent with, a second run would be refused as stale: the retry gets the first answer.
    expect(await update()).toEqual(first);
    expect(first.durationMinutes).toBe(50);
  });
});

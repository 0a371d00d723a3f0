// Writes with an idempotency key, over the real keys table (SQLite or MariaDB): applied once, the
// first answer repeated, a reused key refused, calls at the same moment writing once, the answer
// committed with the write, refusals after a commit repeated, secrets never kept, keys expiring.
import type { Transaction } from "sequelize";
import { QueryTypes } from "sequelize";
import type { Principal } from "@msp/auth";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { DomainError } from "@msp/errors";
import type { AnswerKeeper, Idempotency, KeyedCall } from "@msp/grpc-kit";
import { answerOnce, idempotencyTableOf, keyIdOf } from "@msp/grpc-kit";
import { createLogger } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { KeptKeys } from "./idempotency-store";
import { createKeptKeys, idempotencyOf } from "./idempotency-store";

let testDb: TestDatabase;
let db: Database;
let keys: KeptKeys;
let idem: Idempotency;
const table = idempotencyTableOf("work-service");
const method = "msp.work.v1.BillableTimeService/CreateBillableTime";

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await migrateUp(db, migrations);
  await db.sequelize.query("CREATE TABLE idem_writes (id CHAR(36) NOT NULL PRIMARY KEY, note VARCHAR(255) NOT NULL)");
  keys = createKeptKeys(db, "work-service");
  idem = { ...idempotencyOf(keys, "a test secret", createLogger({ service: "test", level: "silent" })), pendingWaitMs: 300 };
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const caller = (subject = "00000000-0000-7000-8000-000000000001"): Principal => ({
  subject,
  username: "tech",
  role: "technician",
  scopes: [],
  kind: "user",
  tokenId: "jti",
  expiresAt: new Date(Date.now() + 60_000),
  userId: subject,
});

interface Answer {
  id: string;
  note: string;
}

let serial = 0;
const newKey = () => `key-${Date.now()}-${++serial}`;

function keyed(key: string, note: string, options: { who?: Principal; keepsAnswer?: boolean } = {}): KeyedCall<Answer> {
  return {
    key,
    caller: options.who ?? caller(),
    method,
    request: Buffer.from(JSON.stringify({ note })),
    keepsAnswer: options.keepsAnswer ?? true,
    encode: (answer) => Buffer.from(JSON.stringify(answer)),
    decode: (bytes) => JSON.parse(bytes.toString("utf8")) as Answer,
  };
}

/** A create: one row in its own transaction, answered with it (kept in the transaction when `keep` is given). */
async function create(note: string, keep?: AnswerKeeper): Promise<Answer> {
  return db.transaction(async (transaction: Transaction) => {
    const answer = { id: uuidv7(), note };
    await db.sequelize.query("INSERT INTO idem_writes (id, note) VALUES (?, ?)", { replacements: [answer.id, note], transaction });
    await keep?.(transaction, answer);
    return answer;
  });
}

async function written(note: string): Promise<number> {
  const [row] = await db.sequelize.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM idem_writes WHERE note = ?", {
    replacements: [note],
    type: QueryTypes.SELECT,
  });
  return Number(row?.n);
}

async function keptState(key: string, who = caller()): Promise<string | undefined> {
  const [row] = await db.sequelize.query<{ state: string }>(`SELECT state FROM ${table} WHERE id = ?`, {
    replacements: [keyIdOf(who, method, key)],
    type: QueryTypes.SELECT,
  });
  return row?.state;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe("answerOnce over the keys table", () => {
  it("applies a write once: a retry with the same key and request gets the first answer and writes nothing", async () => {
    const key = newKey();
    let runs = 0;
    const run = (keep: AnswerKeeper) => {
      runs += 1;
      return create("retried", keep);
    };
    const first = await answerOnce(idem, keyed(key, "retried"), run);
    const again = await answerOnce(idem, keyed(key, "retried"), run);
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    expect(await written("retried")).toBe(1);
    expect(await keptState(key)).toBe("answered");
  });

  it("refuses the key with another request, naming the key, and writes nothing", async () => {
    const key = newKey();
    await answerOnce(idem, keyed(key, "first body"), (keep) => create("first body", keep));
    const error = await refusal(answerOnce(idem, keyed(key, "second body"), (keep) => create("second body", keep)));
    expect(error.code).toBe("failed_precondition");
    expect(error.message).toBe(
      `Idempotency-Key "${key}" was already used for a different CreateBillableTime request; send a new key with a new request`,
    );
    expect(await written("second body")).toBe(0);
  });

  it("keeps each caller's keys apart", async () => {
    const key = newKey();
    await answerOnce(idem, keyed(key, "two callers"), (keep) => create("two callers", keep));
    const other = caller("00000000-0000-7000-8000-000000000002");
    await answerOnce(idem, keyed(key, "two callers", { who: other }), (keep) => create("two callers", keep));
    expect(await written("two callers")).toBe(2);
  });

  it("keeps no key for a write that rolled back: its retry is applied", async () => {
    const key = newKey();
    const failing = async () => {
      await db.transaction(async (transaction) => {
        await db.sequelize.query("INSERT INTO idem_writes (id, note) VALUES (?, ?)", {
          replacements: [uuidv7(), "rolled back"],
          transaction,
        });
        throw new DomainError("invalid_argument", "billable_time.session_id: no session has id x");
      });
      return { id: "", note: "" };
    };
    expect((await refusal(answerOnce(idem, keyed(key, "rolled back"), failing))).code).toBe("invalid_argument");
    expect(await keptState(key)).toBeUndefined();
    await answerOnce(idem, keyed(key, "rolled back"), (keep) => create("rolled back", keep));
    expect(await written("rolled back")).toBe(1);
  });

  it("writes once when ten calls with one key arrive at the same moment, and gives all of them its answer", async () => {
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => answerOnce(idem, keyed(key, "parallel"), (keep) => create("parallel", keep))),
    );
    expect(await written("parallel")).toBe(1);
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
  });

  it("commits the answer with the write when the call keeps it in its transaction", async () => {
    const key = newKey();
    let stateAfterCommit: string | undefined;
    await answerOnce(idem, keyed(key, "kept inside"), async (keep) => {
      const answer = await create("kept inside", keep);
      // The write has committed and answerOnce has not yet had its turn: the answer is there already.
      stateAfterCommit = await keptState(key);
      return answer;
    });
    expect(stateAfterCommit).toBe("answered");
  });

  it("keeps the answer just after the commit when the call does not keep it itself", async () => {
    const key = newKey();
    let stateAfterCommit: string | undefined;
    const first = await answerOnce(idem, keyed(key, "kept after"), async () => {
      const answer = await create("kept after");
      stateAfterCommit = await keptState(key);
      return answer;
    });
    expect(stateAfterCommit).toBe("pending");
    expect(await answerOnce(idem, keyed(key, "kept after"), () => create("kept after"))).toEqual(first);
    expect(await written("kept after")).toBe(1);
  });

  it("repeats a refusal decided after the write committed (a denial it logged first)", async () => {
    const key = newKey();
    const denied = async () => {
      await create("denial logged");
      throw new DomainError("permission_denied", "you need write permission on credential c");
    };
    expect((await refusal(answerOnce(idem, keyed(key, "denied"), denied))).code).toBe("permission_denied");
    const again = await refusal(answerOnce(idem, keyed(key, "denied"), denied));
    expect([again.code, again.message]).toEqual(["permission_denied", "you need write permission on credential c"]);
    expect(await written("denial logged")).toBe(1);
  });

  it("never keeps an answer holding a secret: the write is applied once and a retry is told so", async () => {
    const key = newKey();
    const call = keyed(key, "secret answer", { keepsAnswer: false });
    await answerOnce(idem, call, (keep) => create("secret answer", keep));
    expect(await keptState(key)).toBe("withheld");
    const again = await refusal(answerOnce(idem, call, (keep) => create("secret answer", keep)));
    expect(again.code).toBe("already_exists");
    expect(again.message).toMatch(/was already made; its answer held a secret that is shown only once/);
    expect(await written("secret answer")).toBe(1);
  });

  it("keeps the answer of a call that wrote in no transaction", async () => {
    const key = newKey();
    let runs = 0;
    const run = () => Promise.resolve({ id: `no-write-${++runs}`, note: "" });
    const first = await answerOnce(idem, keyed(key, "no transaction"), run);
    expect(await answerOnce(idem, keyed(key, "no transaction"), run)).toEqual(first);
    expect(runs).toBe(1);
  });

  it("tells a retry whose first call committed but never answered that it is in progress, then that its answer was lost", async () => {
    const key = newKey();
    const id = keyIdOf(caller(), method, key);
    const fingerprint = (await idemFingerprint(key, "lost answer")).fingerprint;
    const now = Date.now();
    await db.transaction((transaction) => keys.claim(transaction, { id, method, fingerprint }));
    const inProgress = await refusal(answerOnce(idem, keyed(key, "lost answer"), (keep) => create("lost answer", keep)));
    expect([inProgress.code, inProgress.message]).toEqual([
      "aborted",
      `the CreateBillableTime request with Idempotency-Key "${key}" is still being answered; retry shortly`,
    ]);
    // Its process ended long ago, between the commit and the answer.
    await db.sequelize.query(`UPDATE ${table} SET created_at = ? WHERE id = ?`, { replacements: [new Date(now - 10 * 60_000), id] });
    const lost = await refusal(answerOnce(idem, keyed(key, "lost answer"), (keep) => create("lost answer", keep)));
    expect(lost.code).toBe("already_exists");
    expect(lost.message).toMatch(/was already made, but its answer was lost/);
    expect(await written("lost answer")).toBe(0);
  });

  it("forgets keys after 24 hours: an expired key is free again, and the pruner deletes expired ones", async () => {
    const key = newKey();
    await answerOnce(idem, keyed(key, "expiring"), (keep) => create("expiring", keep));
    await db.sequelize.query(`UPDATE ${table} SET expires_at = ? WHERE id = ?`, {
      replacements: [new Date(Date.now() - 1000), keyIdOf(caller(), method, key)],
    });
    await answerOnce(idem, keyed(key, "expiring"), (keep) => create("expiring", keep));
    expect(await written("expiring")).toBe(2);

    const other = newKey();
    await answerOnce(idem, keyed(other, "pruned"), (keep) => create("pruned", keep));
    expect(await keys.pruneExpired(new Date(Date.now() + 25 * 60 * 60 * 1000), 2)).toBeGreaterThanOrEqual(2);
    expect(await keptState(other)).toBeUndefined();
  });
});

/** The fingerprint answerOnce gives a request, read back from a throwaway key's row. */
async function idemFingerprint(key: string, note: string): Promise<{ fingerprint: string }> {
  const probe = `${key}-probe`;
  await answerOnce(idem, keyed(probe, note), () => Promise.resolve({ id: "probe", note }));
  const [row] = await db.sequelize.query<{ fingerprint: string }>(`SELECT fingerprint FROM ${table} WHERE id = ?`, {
    replacements: [keyIdOf(caller(), method, probe)],
    type: QueryTypes.SELECT,
  });
  if (!row) throw new Error("no probe row");
  return row;
}

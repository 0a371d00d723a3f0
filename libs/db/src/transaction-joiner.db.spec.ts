// A joiner (an idempotency key's claim) writes first in the first transaction of its call that
// commits, and goes with it when it rolls back: on the real database, SQLite or MariaDB.
import type { Transaction } from "sequelize";
import { QueryTypes } from "sequelize";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase } from "./database";
import type { TransactionJoiner } from "./transaction-joiner";
import { joiningTransactions } from "./transaction-joiner";

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await db.sequelize.query("CREATE TABLE joined_rows (name VARCHAR(64) NOT NULL PRIMARY KEY)");
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const insert = (transaction: Transaction, name: string) =>
  db.sequelize.query("INSERT INTO joined_rows (name) VALUES (?)", { replacements: [name], transaction });

async function rows(): Promise<string[]> {
  const found = await db.sequelize.query<{ name: string }>("SELECT name FROM joined_rows ORDER BY name", { type: QueryTypes.SELECT });
  return found.map((row) => row.name);
}

/** A joiner writing `name` first in the transactions it joins, counting commits. */
function joinerWriting(name: string) {
  const seen = { joins: 0, commits: 0 };
  const joiner: TransactionJoiner = {
    join: async (transaction) => {
      seen.joins += 1;
      await insert(transaction, name);
    },
    committed: () => void (seen.commits += 1),
  };
  return { joiner, seen };
}

beforeEach(async () => {
  await db.sequelize.query("DELETE FROM joined_rows");
});

describe("joiningTransactions", () => {
  it("writes first in the call's first transaction, which commits it; later transactions run alone", async () => {
    const { joiner, seen } = joinerWriting("claim");
    await joiningTransactions(joiner, async () => {
      await db.transaction((t) => insert(t, "write-1"));
      await db.transaction((t) => insert(t, "write-2"));
    });
    expect(await rows()).toEqual(["claim", "write-1", "write-2"]);
    expect(seen).toEqual({ joins: 1, commits: 1 });
  });

  it("goes with a transaction that rolls back, and joins the next one", async () => {
    const { joiner, seen } = joinerWriting("claim");
    await joiningTransactions(joiner, async () => {
      await expect(
        db.transaction(async (t) => {
          await insert(t, "refused-write");
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
      expect(await rows()).toEqual([]);
      await db.transaction((t) => insert(t, "write"));
    });
    expect(await rows()).toEqual(["claim", "write"]);
    expect(seen).toEqual({ joins: 2, commits: 1 });
  });

  it("fails the transaction when the joiner fails, before the call writes anything", async () => {
    const joiner: TransactionJoiner = {
      join: () => Promise.reject(new Error("the key is taken")),
      committed: () => undefined,
    };
    let ran = false;
    await expect(
      joiningTransactions(joiner, () =>
        db.transaction(async (t) => {
          ran = true;
          await insert(t, "write");
        }),
      ),
    ).rejects.toThrow("the key is taken");
    expect(ran).toBe(false);
    expect(await rows()).toEqual([]);
  });

  it("joins only its own call's transactions, even with calls running side by side", async () => {
    const a = joinerWriting("claim-a");
    const b = joinerWriting("claim-b");
    await Promise.all([
      joiningTransactions(a.joiner, () => db.transaction((t) => insert(t, "write-a"))),
      joiningTransactions(b.joiner, () => db.transaction((t) => insert(t, "write-b"))),
      db.transaction((t) => insert(t, "write-outside")),
    ]);
    expect(await rows()).toEqual(["claim-a", "claim-b", "write-a", "write-b", "write-outside"]);
    expect([a.seen, b.seen]).toEqual([
      { joins: 1, commits: 1 },
      { joins: 1, commits: 1 },
    ]);
  });
});

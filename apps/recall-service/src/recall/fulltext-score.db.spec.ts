// Issue 18: a recall under concurrent failure-pattern inserts failed with MariaDB error 1690
// ("DOUBLE value is out of range") in its MATCH ... AGAINST score: InnoDB can compute a relevance
// that is infinite or huge while rows are inserted, and the score's arithmetic (a weight, text plus
// tags) then fails the statement. The score expressions of the full-text query, fed the most
// extreme relevances a DOUBLE holds, must never fail. MariaDB only: SQLite's bm25 is arithmetic in JS.
import type { Database } from "@msp/db";
import { createDatabase } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { boundedRelevance, combinedScore, maxRelevance } from "./fulltext-mariadb";

const onMariaDb = process.env["MSP_TEST_DATABASE_URL"] ? it : it.skip;
/** A relevance as the query computes it: a DOUBLE, here given as a parameter. */
const relevance = "CAST(? AS DOUBLE)";
const largest = Number.MAX_VALUE;

let testDb: TestDatabase;
let db: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

async function score(sql: string, params: readonly number[]): Promise<number> {
  const [row] = await db.select<{ score: number | string }>(`SELECT ${sql} AS score`, params);
  return Number(row?.score);
}

onMariaDb("shows the hazard: a weighted or summed relevance near the largest DOUBLE fails the statement with 1690", async () => {
  await expect(score(`1.5 * ${relevance}`, [largest])).rejects.toMatchObject({ errno: 1690 });
  await expect(score(`${relevance} + 1.5 * ${relevance}`, [largest, largest])).rejects.toMatchObject({ errno: 1690 });
});

onMariaDb("bounds every relevance before its arithmetic: the largest and smallest DOUBLEs give a score, never an error", async () => {
  expect(await score(combinedScore(relevance, relevance), [largest, largest])).toBe(maxRelevance * 2.5);
  expect(await score(combinedScore(relevance, relevance), [-largest, largest])).toBe(maxRelevance * 1.5);
  expect(await score(combinedScore(relevance, null), [largest])).toBe(maxRelevance);
  expect(await score(`1.5 * ${boundedRelevance(relevance)}`, [largest])).toBe(maxRelevance * 1.5);
  expect(await score(boundedRelevance(relevance), [-largest])).toBe(0);
});

onMariaDb("leaves the relevances InnoDB gives in practice as they are", async () => {
  expect(await score(combinedScore(relevance, relevance), [0.25, 2])).toBeCloseTo(3.25, 10);
  expect(await score(combinedScore(relevance, relevance), [0, 0])).toBe(0);
  expect(await score(boundedRelevance(relevance), [17.5])).toBe(17.5);
});

// A long verify is spread over worker threads (the audit service as `npm start` runs it, under
// tsx): here with tiny parts, so that a small chain is cut at its checkpoints into several parts.
// The parts together must give the answer one thread gives: intact, then the first broken seq.
import type { Database } from "@msp/db";
import { createDatabase } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase, withSlowness } from "@msp/testing";
import type { PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

jest.setTimeout(withSlowness(300_000));

let database: TestDatabase;
let platform: PlatformStack;
let db: Database;
let admin: string;

beforeAll(async () => {
  database = await createTestDatabase();
  platform = await startPlatform({
    database: database.config,
    envByApp: { "audit-service": { AUDIT_VERIFY_WORKERS: "3", AUDIT_VERIFY_MIN_PART: "20", AUDIT_CHECKPOINT_EVERY: "10" } },
  });
  admin = await platform.login();
  db = createDatabase(database.config);
  for (let i = 0; i < 90; i++) {
    const { status } = await platform.api("POST", "/api/v1/tags", { token: admin, body: { name: `workers-${i}` } });
    expect(status).toBe(200);
  }
  for (let i = 0; i < 600; i++) {
    const { json } = await platform.api("GET", "/api/v1/audit:status", { token: admin });
    if (json?.outboxPending === "0") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 300_000);

afterAll(async () => {
  await db?.close();
  await platform?.stop();
  await database?.drop();
}, 60_000);

const verify = async () => (await platform.api("POST", "/api/v1/auditEvents:verify", { token: admin, body: {} })).json;

it("verifies an intact chain in parts, and names an edit in a later part", async () => {
  const intact = await verify();
  expect(intact.failure).toBeUndefined();
  expect(intact.ok).toBe(true);
  const events = Number(intact.checkedEvents);
  expect(events).toBeGreaterThanOrEqual(90);
  expect(Number(intact.lastSeq)).toBe(events);

  const seq = events - 15;
  await db.sequelize.query("UPDATE audit_events SET principal = 'mallory' WHERE seq = ?", { replacements: [seq] });
  const broken = await verify();
  expect(broken.ok).toBe(false);
  expect([Number(broken.failure.seq), broken.failure.problem]).toEqual([seq, "VERIFY_PROBLEM_HASH_MISMATCH"]);

  // An earlier edit is the first broken link, whichever part finds it.
  await db.sequelize.query("UPDATE audit_events SET action = 'delete' WHERE seq = 23");
  const first = await verify();
  expect(Number(first.failure.seq)).toBe(23);
});

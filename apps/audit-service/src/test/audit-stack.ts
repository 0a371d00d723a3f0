import type { Database } from "@msp/db";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { TestDatabase, TestService } from "@msp/testing";
import { call, connect, createTestDatabase, startTestService } from "@msp/testing";
import { AuditServiceClient } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { auditModule } from "../audit-module";

/** An audit service (or several, on one database) and a client of the first. */
export interface AuditStack {
  database: TestDatabase;
  services: TestService[];
  client: AuditServiceClient;
  db: Database;
  /** Starts one more instance on the same database, keys and secret. */
  addInstance(): Promise<TestService>;
  stop(): Promise<void>;
}

/** Settings that make a test's chain quick to observe: a short idle pause and small checkpoint spacing. */
export const fastDrainEnv = {
  AUDIT_DRAIN_IDLE_MS: "20",
  AUDIT_CHECKPOINT_EVERY: "10",
  AUDIT_CHECKPOINT_SECONDS: "3600",
  AUDIT_LEASE_SECONDS: "2",
};

export async function startAuditStack(env: NodeJS.ProcessEnv = fastDrainEnv): Promise<AuditStack> {
  const database = await createTestDatabase();
  const first = await startTestService(auditModule, { database, env });
  const services = [first];
  const client = connect(AuditServiceClient, first);
  return {
    database,
    services,
    client,
    db: first.service.db,
    async addInstance() {
      const next = await startTestService(auditModule, { database, env, secret: first.secret });
      services.push(next);
      return next;
    },
    async stop() {
      client.close();
      for (const service of services.reverse()) await service.stop();
      await database.drop();
    },
  };
}

export const testContext: MutationContext = {
  service: "test-service",
  method: "msp.test.v1.Test/Change",
  principal: "tester",
  sourceIp: "127.0.0.1",
};

/** Writes `count` outbox rows, each in its own transaction, as a service's mutation would. */
export async function writeChanges(db: Database, count: number, resourceId = "r", summary: Record<string, unknown> = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    await db.transaction((transaction) =>
      writeAuditEvent(transaction, testContext, {
        resourceType: "thing",
        resourceId: `${resourceId}-${i}`,
        action: "update",
        summary: { i, ...summary },
      }),
    );
  }
}

/** Waits until `check` holds, polling; fails after `timeoutMs` (budgets are for slow machines). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function countOf(db: Database, table: string, where = ""): Promise<number> {
  const [row] = await db.select<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table} ${where}`, []);
  return Number(row?.n ?? 0);
}

/** Waits until the outbox is empty (every committed row chained). */
export async function drained(db: Database): Promise<void> {
  await eventually(async () => (await countOf(db, "audit_outbox")) === 0, "the outbox to drain");
}

export async function verify(client: AuditServiceClient, fromSeq = 0n, toSeq = 0n) {
  return call(client, "verifyAuditChain", { fromSeq, toSeq });
}

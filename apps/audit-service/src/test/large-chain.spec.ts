// An untouched chain of 100,000 events (built with the service's own keys and stored as the drain
// stores it, with a checkpoint every 1,000) verifies through the API; one edited event deep inside
// it is named.
import { join } from "node:path";
import { appendEvents, readHmacKeyFile, readSigningKeyFile, signCheckpoint } from "@msp/audit-chain";
import type { ChainEvent } from "@msp/audit-chain";
import { ChainStore } from "../chain/chain-store";
import type { AuditStack } from "./audit-stack";
import { fastDrainEnv, startAuditStack, verify } from "./audit-stack";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(600_000));

const total = 100_000;
let stack: AuditStack;

beforeAll(async () => {
  stack = await startAuditStack({ ...fastDrainEnv, AUDIT_CHECKPOINT_EVERY: "1000" });
  const dataDir = stack.database.config.dataDir;
  const hmacKey = readHmacKeyFile(join(dataDir, "audit-hmac-key"), "test");
  const signing = readSigningKeyFile(join(dataDir, "audit-signing-key.pem"), "test");
  const store = new ChainStore(stack.db);
  const base = Date.parse("2026-11-01T00:00:00Z");
  let head = { seq: 0, hash: "0".repeat(64) };
  let prevSeq = 0;
  for (let start = 0; start < total; start += 1000) {
    const events: ChainEvent[] = appendEvents(
      hmacKey,
      head,
      Array.from({ length: 1000 }, (_, i) => {
        const n = start + i;
        return {
          id: `0190f7a0-0000-7000-8000-${n.toString(16).padStart(12, "0")}`,
          occurredAt: new Date(base + n * 1000),
          service: "work-service",
          method: "msp.work.v1.ClientService/UpdateClient",
          principal: `tech-${n % 17}`,
          resourceType: "client",
          resourceId: `client-${n % 5000}`,
          action: "update",
          outcome: "ok",
          requestSummary: JSON.stringify({ notes: `change ${n}` }),
          sourceIp: "10.0.0.1",
        };
      }),
    );
    const last = events[events.length - 1]!;
    await stack.db.transaction(async (transaction) => {
      await store.insertEvents(events, new Date(), transaction);
      const checkpoint = signCheckpoint(signing.privateKey, { seq: last.seq, hash: last.hash, signedAt: new Date(), prevSeq });
      await store.insertCheckpoint(checkpoint, "test", transaction);
    });
    head = { seq: last.seq, hash: last.hash };
    prevSeq = last.seq;
  }
}, 600_000);
afterAll(() => stack?.stop(), 120_000);

test("100,000 untouched events verify; an edit deep inside is named", async () => {
  const result = await verify(stack.client);
  expect(result.failure).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(Number(result.checkedEvents)).toBe(total);
  expect(Number(result.checkedCheckpoints)).toBe(total / 1000);

  await stack.db.sequelize.query("UPDATE audit_events SET resource_id = 'client-x' WHERE seq = 76543");
  const broken = await verify(stack.client);
  expect(broken.ok).toBe(false);
  expect(Number(broken.failure?.seq)).toBe(76543);
});

// Every write the CLI sends carries an Idempotency-Key: a fresh one per logical write, and for a
// hook's event the same one each time the event is delivered again, so the platform applies it once.
import { fakeGateway } from "../test-support/fake-gateway";
import { createPlatformClient } from "./platform-client";

const created = { json: { id: "x1" } };

describe("the platform client's idempotency keys", () => {
  it("sends a fresh key with every write, and none with reads or logging in", async () => {
    const gateway = await fakeGateway(() => created);
    try {
      const platform = createPlatformClient(gateway.url, "msp_k");
      await platform.createBillableTime({ sessionId: "s1", durationMinutes: 30 }, 5_000);
      await platform.createBillableTime({ sessionId: "s1", durationMinutes: 30 }, 5_000);
      await platform.updateBillableTime("b1", { durationMinutes: 45 }, 5_000);
      await platform.getClient("c1");
      await platform.login("mike", "password");
      const [first, second, update, read, login] = gateway.seen;
      expect(first!.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // Two creates of the same body are two logical writes: two keys.
      expect(second!.idempotencyKey).toBeDefined();
      expect(second!.idempotencyKey).not.toBe(first!.idempotencyKey);
      expect(update!.idempotencyKey).toBeDefined();
      expect([read!.method, read!.idempotencyKey]).toEqual(["GET", undefined]);
      expect([login!.path, login!.idempotencyKey]).toEqual(["/api/v1/auth/token", undefined]);
    } finally {
      await gateway.close();
    }
  });

  it("keys an event's writes by the event: delivered again, each write carries the key it had", async () => {
    const gateway = await fakeGateway(() => created);
    try {
      const deliver = (eventId: string, durationMinutes: number) =>
        createPlatformClient(gateway.url, "msp_k").forEvent(eventId).createBillableTime({ sessionId: "s1", durationMinutes }, 5_000);
      await deliver("SessionEnd:claude-1:200", 30);
      await deliver("SessionEnd:claude-1:200", 30); // the same event again (after a timeout, by msp sync)
      await deliver("SessionEnd:claude-1:200", 35); // another write of that event
      await deliver("SessionEnd:claude-1:900", 30); // another event
      const keys = gateway.seen.map((seen) => seen.idempotencyKey);
      expect(keys[0]).toMatch(/^msp-event-[0-9a-f]{40}$/);
      expect(keys[1]).toBe(keys[0]);
      expect(new Set(keys).size).toBe(3);
    } finally {
      await gateway.close();
    }
  });
});

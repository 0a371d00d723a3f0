// A service asking another over gRPC, with both running as `npm start` runs them: the recall
// service checks an Ingest's work session with the work service (a service token acting for the
// caller, a deadline, errors mapped back), and the gateway says 503 while the work service is down.
import { randomUUID } from "node:crypto";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

jest.setTimeout(120_000);

let platform: PlatformStack;
let admin: string;
let sessionId: string;

const transcriptOf = (claudeSessionId: string) =>
  `${JSON.stringify({ type: "user", sessionId: claudeSessionId, timestamp: "2026-01-05T10:00:00Z", message: { role: "user", content: "Restart nginx on web01" } })}\n`;

/** An Ingest of a one-line transcript naming `workSessionId`, as `token`. */
const ingest = (token: string, workSessionId: string): Promise<{ status: number; json: Json }> => {
  const claudeSessionId = `peer-${randomUUID()}`;
  return platform.api("POST", "/api/v1/memory:ingest", {
    token,
    body: { claudeSessionId, idempotencyKey: claudeSessionId, workSessionId, transcript: transcriptOf(claudeSessionId), trigger: "manual" },
  });
};

beforeAll(async () => {
  platform = await startPlatform();
  admin = await platform.login();
  const client = await platform.api("POST", "/api/v1/clients", { token: admin, body: { name: `Peer client ${randomUUID()}` } });
  const session = await platform.api("POST", "/api/v1/sessions", {
    token: admin,
    body: { clientId: client.json.id, title: "Peer session" },
  });
  expect(session.status).toBe(200);
  sessionId = session.json.id;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

it("stores an Ingest whose work session the work service knows, for a key scoped to memory only", async () => {
  // The machine key may not read work records itself: the recall service asks with its own service token.
  const key = await platform.api("POST", "/api/v1/apiKeys", { token: admin, body: { name: "memory only", scopes: ["context:write"] } });
  expect(key.status).toBe(200);
  const own = await platform.api("GET", `/api/v1/sessions/${sessionId}`, { token: key.json.key });
  expect([own.status, own.json.code]).toEqual([403, "permission_denied"]);

  const stored = await ingest(key.json.key, sessionId);
  expect([stored.status, stored.json.status]).toEqual([200, "stored"]);
  expect(stored.json.context.sessionId).toBe(sessionId);
});

it("refuses a work session the work service does not know, naming the field", async () => {
  const refused = await ingest(admin, randomUUID());
  expect(refused.status).toBe(400);
  expect(refused.json).toMatchObject({
    code: "invalid_argument",
    message: "work_session_id: no work session with this id",
    details: [{ fieldViolations: [{ field: "work_session_id", description: "no work session with this id" }] }],
  });
});

it("answers 503 when the work service cannot be asked, and the gateway 503 for the work service itself", async () => {
  await platform.stopWork();
  const refused = await ingest(admin, randomUUID());
  expect([refused.status, refused.json.code]).toEqual([503, "unavailable"]);
  expect(refused.json.message).toBe("msp.work.v1.SessionService is unavailable; try again shortly");
  const direct = await platform.api("GET", "/api/v1/clients?pageSize=1", { token: admin });
  expect([direct.status, direct.json.code]).toEqual([503, "unavailable"]);
  // Memory that needs no other service still works.
  const recalled = await platform.api("POST", "/api/v1/memory:recall", { token: admin, body: { scope: {} } });
  expect(recalled.status).toBe(200);
});

import type { LogEntry } from "../local/error-log";
import { statusErrors } from "./status-errors";

const entry = (at: string, message: string, source = "sync"): LogEntry => ({ at, level: "error", source, message });
const refused = entry("2026-12-01T09:00:00.000Z", "platform unreachable, 3 events wait: POST /api/v1/sessions: ECONNREFUSED");
const slow = entry("2026-12-01T09:05:00.000Z", "POST /api/v1/memory:ingest: no answer within 5000 ms", "stop");
const away = entry("2026-12-01T09:06:00.000Z", "503 work-service is unavailable, try again", "session-end");
const broken = entry("2026-12-01T09:10:00.000Z", "~/.claude/settings.json is not valid JSON", "setup");

test("while the platform answers, an outage's entries are history: counted with their last time, not shown as errors", () => {
  expect(statusErrors([refused, slow, broken, away], true)).toEqual({
    current: [broken],
    pastOutage: { entries: 3, lastAt: away.at },
  });
  expect(statusErrors([broken], true)).toEqual({ current: [broken] });
});

test("while the platform does not answer, every entry is current", () => {
  expect(statusErrors([refused, broken], false)).toEqual({ current: [refused, broken] });
  expect(statusErrors([refused, slow, broken], false, 2)).toEqual({ current: [slow, broken] });
});

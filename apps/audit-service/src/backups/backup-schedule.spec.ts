import { beyondRetention, lastScheduledAt, parseTimeOfDay, scheduledTypeAt } from "./backup-schedule";

test("a time of day is HH:MM, 00:00 to 23:59", () => {
  expect(parseTimeOfDay("02:30")).toBe(150);
  expect(parseTimeOfDay(" 23:59 ")).toBe(1439);
  for (const bad of ["24:00", "2:30", "02:60", "noon", ""]) expect(parseTimeOfDay(bad)).toBeUndefined();
});

test("the last scheduled instant is today's when its time has come, else yesterday's", () => {
  expect(lastScheduledAt(new Date("2026-12-05T03:00:00Z"), 120).toISOString()).toBe("2026-12-05T02:00:00.000Z");
  expect(lastScheduledAt(new Date("2026-12-05T02:00:00Z"), 120).toISOString()).toBe("2026-12-05T02:00:00.000Z");
  expect(lastScheduledAt(new Date("2026-12-05T01:59:59Z"), 120).toISOString()).toBe("2026-12-04T02:00:00.000Z");
  expect(lastScheduledAt(new Date("2026-01-01T00:10:00Z"), 120).toISOString()).toBe("2025-12-31T02:00:00.000Z");
});

test("monthly on the 1st, weekly on Sundays, daily otherwise", () => {
  expect(scheduledTypeAt(new Date("2026-11-01T02:00:00Z"))).toBe("monthly"); // a Sunday too: monthly wins
  expect(scheduledTypeAt(new Date("2026-12-06T02:00:00Z"))).toBe("weekly");
  expect(scheduledTypeAt(new Date("2026-12-05T02:00:00Z"))).toBe("daily");
});

test("retention keeps the newest of each kind and names the rest", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 11, day, 2));
  const backups = [
    { id: "d1", type: "daily" as const, startedAt: at(1) },
    { id: "d3", type: "daily" as const, startedAt: at(3) },
    { id: "d2", type: "daily" as const, startedAt: at(2) },
    { id: "w1", type: "weekly" as const, startedAt: at(1) },
    { id: "m1", type: "monthly" as const, startedAt: at(1) },
  ];
  expect(beyondRetention(backups, { daily: 2, weekly: 1, monthly: 0 }).map((b) => b.id)).toEqual(["d1", "m1"]);
});

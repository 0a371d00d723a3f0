import { summaryLine } from "./fault-summary";

const report = {
  numTotalTests: 12,
  numPassedTests: 10,
  numFailedTests: 1,
  numPendingTests: 1,
  testResults: [
    { name: "/repo/apps/platform-e2e/src/write-faults.spec.ts", status: "passed" },
    { name: "/repo/apps/platform-e2e/src/robustness.spec.ts", status: "failed" },
  ],
};
const settings = { long: true, database: "sqlite", date: "2026-12-05" };

it("puts the test counts, the write figures and the fuzz figures on one line, naming failing files", () => {
  const line = summaryLine(
    report,
    {
      "write-faults": {
        acknowledged: 3012,
        stored: 3012,
        lost: 0,
        failedButStored: 0,
        failed: 0,
        duplicates: 0,
        audited: 3012,
        retries: 420,
        not503: 0,
        kills: 18,
        restartMaxMs: 640,
        restartMaxFailedPolls: 3,
        databaseOutageSeconds: 0,
        exitedApps: 0,
      },
      robustness: { requests: 10240, serverErrors: 0, hangs: 0, droppedConnections: 0, crashes: 0 },
    },
    settings,
  );
  expect(line).not.toContain("\n");
  expect(line).toContain("faults long run, sqlite, 2026-12-05: 10/12 tests passed, 1 failed, 1 skipped (failing: robustness.spec.ts)");
  expect(line).toContain("writes: 3,012 acknowledged, 3,012 stored, 0 lost, 0 reported failed but stored");
  expect(line).toContain("18 kill -9, served again ≤ 0.6 s after listening (≤ 3 failed polls); no database outage (SQLite)");
  expect(line).toContain("fuzz: 10,240 requests, 0 5xx, 0 hangs, 0 dropped connections, 0 crashes");
});

it("says what did not run, and shows a missing figure as ? rather than 0", () => {
  const line = summaryLine(report, { "write-faults": { acknowledged: 5 } }, settings);
  expect(line).toContain("writes: 5 acknowledged, ? stored, ? lost");
  expect(line).toContain("fuzz: not run");
});

// The one line of figures that `npm run test:faults` prints (RELIABILITY.md quotes it): the test
// counts of jest's --json report and the figures the specs recorded (apps/platform-e2e/src/fault-figures.ts).

/** The part of jest's --json report that the line uses. */
export interface JestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string }[];
}

/** Figures by spec name (write-faults, robustness, database-outage), each a record of numbers. */
export type RecordedFigures = Readonly<Record<string, Readonly<Record<string, number>> | undefined>>;

export interface RunSettings {
  long: boolean;
  /** "sqlite" or "mariadb". */
  database: string;
  date: string;
}

const n = (value: number | undefined) => (value === undefined ? "?" : value.toLocaleString("en-US"));
const seconds = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

export function summaryLine(report: JestReport, figures: RecordedFigures, settings: RunSettings): string {
  const failedFiles = report.testResults.filter((r) => r.status === "failed").map((r) => r.name.replace(/^.*\//, ""));
  const parts = [
    `faults ${settings.long ? "long" : "short"} run, ${settings.database}, ${settings.date}: ` +
      `${n(report.numPassedTests)}/${n(report.numTotalTests)} tests passed, ${n(report.numFailedTests)} failed, ${n(report.numPendingTests)} skipped` +
      (failedFiles.length > 0 ? ` (failing: ${failedFiles.join(", ")})` : ""),
  ];
  const w = figures["write-faults"];
  if (w)
    parts.push(
      `writes: ${n(w["acknowledged"])} acknowledged, ${n(w["stored"])} stored, ${n(w["lost"])} lost, ` +
        `${n(w["failedButStored"])} reported failed but stored, ${n(w["failed"])} failed, ${n(w["duplicates"])} duplicates, ` +
        `${n(w["audited"])} audited, ${n(w["retries"])} retries, ${n(w["not503"])} 5xx other than 503; ` +
        `${n(w["kills"])} kill -9, served again ≤ ${seconds(w["restartMaxMs"])} after listening (≤ ${n(w["restartMaxFailedPolls"])} failed polls); ` +
        (w["databaseOutageSeconds"]
          ? `database out ${n(w["databaseOutageSeconds"])} s under load, serving ${seconds(w["databaseReturnMs"])} after its return; `
          : "no database outage (SQLite); ") +
        `${n(w["exitedApps"])} processes exited`,
    );
  else parts.push("writes: not run");
  const f = figures["robustness"];
  if (f)
    parts.push(
      `fuzz: ${n(f["requests"])} requests, ${n(f["serverErrors"])} 5xx, ${n(f["hangs"])} hangs, ` +
        `${n(f["droppedConnections"])} dropped connections, ${n(f["crashes"])} crashes`,
    );
  else parts.push("fuzz: not run");
  const d = figures["database-outage"];
  if (d)
    parts.push(
      `idle database outage: ${n(d["outageSeconds"])} s, ${n(d["not503DuringOutage"])} answers other than 503, ` +
        `serving ${seconds(d["servedAfterReturnMs"])} after its return, ${n(d["exitedApps"])} processes exited`,
    );
  return parts.join(" | ");
}

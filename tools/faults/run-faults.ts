// `npm run test:faults`: the fault and attack suite. It runs the end-to-end specs about faults and
// attacks one file at a time (each starts its own platform on loopback, on MariaDB when
// MSP_TEST_DATABASE_URL names one), with the long settings (MSP_FAULTS_LONG=1; `--short` keeps
// the short ones that `npm test` runs in CI), and prints one line of figures at the end.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JestReport, RecordedFigures } from "./fault-summary";
import { summaryLine } from "./fault-summary";

const specs = ["write-faults", "robustness", "reconnect", "database-outage", "auth-sweep", "identity", "identity-sessions"].map(
  (name) => `apps/platform-e2e/src/${name}.spec.ts`,
);

const long = !process.argv.includes("--short");
const figuresDir = mkdtempSync(join(tmpdir(), "msp-faults-"));
const reportFile = join(figuresDir, "jest-report.json");
// One file at a time: the timings (2 s to serve a restarted process) are the platform's, not
// those of another test file's platform beside it on the same cores.
const jest = spawnSync(
  "npx",
  ["jest", "--runInBand", "--forceExit", "--json", `--outputFile=${reportFile}`, "--runTestsByPath", ...specs],
  {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, MSP_FAULTS_LONG: long ? "1" : "0", MSP_FAULTS_FIGURES_DIR: figuresDir },
  },
);

if (!existsSync(reportFile)) {
  console.error(`jest wrote no report (exit ${jest.status ?? jest.signal}): see its output above`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportFile, "utf8")) as JestReport;
const figures: Record<string, Record<string, number>> = {};
for (const file of readdirSync(figuresDir).filter((f) => f.endsWith(".json") && f !== "jest-report.json"))
  figures[file.replace(/\.json$/, "")] = JSON.parse(readFileSync(join(figuresDir, file), "utf8")) as Record<string, number>;
rmSync(figuresDir, { recursive: true, force: true });

const recorded: RecordedFigures = figures;
console.log(
  summaryLine(report, recorded, {
    long,
    database: process.env["MSP_TEST_DATABASE_URL"] ? "mariadb" : "sqlite",
    date: new Date().toISOString().slice(0, 10),
  }),
);
process.exit(jest.status ?? 1);

// What one write transaction costs on the embedded SQLite database, with the platform's whole
// schema migrated: a transaction holding one INSERT, as Database.transaction runs it.
//
//   npx tsx tools/bench/sqlite-transaction-bench.ts [--transactions 300] [--runs 5]
//
// Prints, per run, the wall time and this process's CPU per transaction, then their medians.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createDatabase, migrateUp, prepareDatabase } from "@msp/db";
import { migrations } from "@msp/migrations";
import { median } from "./bench-kit";

const { values: args } = parseArgs({
  options: { transactions: { type: "string", default: "300" }, runs: { type: "string", default: "5" } },
});

async function main(): Promise<void> {
  const count = Number(args.transactions);
  const dataDir = mkdtempSync(join(tmpdir(), "msp-sqlite-tx-bench-"));
  const db = createDatabase({ dataDir }, []);
  try {
    await prepareDatabase(db);
    await migrateUp(db, migrations);
    await db.sequelize.query("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, v TEXT)");
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let run = 1; run <= Number(args.runs); run++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await db.transaction((transaction) => db.sequelize.query("INSERT INTO bench_rows (v) VALUES ('x')", { transaction }));
      }
      const used = process.cpuUsage(cpuBefore);
      wall.push((performance.now() - started) / count);
      cpu.push((used.user + used.system) / 1000 / count);
      console.log(`run ${run}: ${wall.at(-1)!.toFixed(2)} ms per transaction, ${cpu.at(-1)!.toFixed(2)} ms of CPU`);
    }
    console.log(
      `median of ${args.runs} runs of ${count}: ${median(wall).toFixed(2)} ms per transaction, ${median(cpu).toFixed(2)} ms of CPU`,
    );
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

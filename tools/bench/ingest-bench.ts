// Ingest of the largest real transcript (issue 5: the 2.8 MB transcript in under 2 s).
//
//   npx tsx tools/bench/ingest-bench.ts [--db sqlite|mariadb] [--runs 15] [--file <path under the transcripts folder>]
//
// Starts the platform as `npm start` does (recall service as its own process) on a fresh
// database, then sends the whole transcript to MemoryService/Ingest over gRPC, each run under a
// new Claude session id so every call parses, redacts, compresses, counts tokens and stores.
// Reports the first call (tokenizer and rules warming up) apart from the median and p95 of the
// rest. Needs ../shared/fixtures/transcripts (or MSP_TRANSCRIPTS_DIR).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { credentials, Metadata } from "@grpc/grpc-js";
import { call, startPlatform } from "@msp/testing";
import { MemoryServiceClient, IngestRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { resetMariaDb } from "./bench-database";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    runs: { type: "string", default: "15" },
    file: { type: "string", default: "Skills03__ubuntu-secure/extracted_conversation_1201_messages.jsonl" },
  },
});

async function main(): Promise<void> {
  const folder = process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(__dirname, "../../../shared/fixtures/transcripts");
  const path = resolve(folder, args.file);
  if (!existsSync(path)) {
    console.error(`no transcript at ${path}: set MSP_TRANSCRIPTS_DIR to the fixtures folder`);
    process.exit(2);
  }
  const transcript = readFileSync(path, "utf8");
  const runs = Number(args.runs);
  let database;
  const databaseUrl =
    args.db === "mariadb" ? (process.env["MSP_BENCH_MARIADB_URL"] ?? "mariadb://root@127.0.0.1:3306/msp_bench_ingest") : undefined;
  if (databaseUrl) {
    await resetMariaDb(databaseUrl);
    database = { dataDir: resolve("data"), databaseUrl };
  }
  const platform = await startPlatform(database ? { database, poolMax: 20 } : { poolMax: 20 });
  const client = new MemoryServiceClient(platform.recallAddress, credentials.createInsecure(), {
    "grpc.max_send_message_length": 64 * 1024 * 1024,
  });
  try {
    const token = await platform.login();
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${token}`);
    const times: number[] = [];
    let lastStats = "";
    for (let run = 0; run <= runs; run++) {
      const request = IngestRequest.fromPartial({
        claudeSessionId: `bench-${Date.now()}-${run}`,
        idempotencyKey: `bench-${Date.now()}-${run}`,
        transcript,
        scope: { repository: "github.com/example/ingest-bench" },
      });
      const started = performance.now();
      const answer = await call(client, "ingest", request, metadata);
      times.push(performance.now() - started);
      const s = answer.stats!;
      lastStats = `${s.records} records, ${s.sourceTokens} source tokens -> ${s.summaryTokens} summary tokens, ${s.redactions} redactions`;
    }
    const [first, ...rest] = times;
    rest.sort((a, b) => a - b);
    const at = (q: number) => rest[Math.min(rest.length - 1, Math.floor(q * rest.length))]!;
    console.log(`${args.db}: ${args.file} (${(transcript.length / 1e6).toFixed(2)} MB): ${lastStats}`);
    console.log(
      `first call ${first!.toFixed(0)} ms; then ${rest.length} calls: p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${rest[rest.length - 1]!.toFixed(0)} ms`,
    );
  } finally {
    client.close();
    await platform.stop();
    if (databaseUrl) await resetMariaDb(databaseUrl, false); // the bench's database goes with it
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

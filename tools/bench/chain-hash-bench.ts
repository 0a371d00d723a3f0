// Benchmark (not a test) of what hashing one audit event costs, in this thread alone: the chain's
// LinkedHasher (HMAC-SHA256 from two one-shot SHA-256 calls) against node:crypto's createHmac over
// the same bytes (linkedTextHash), on the canonical texts of realistic events. Blocks of each
// alternate, --rounds times; the median µs per event of each and their ratio in the same run.
//   npx tsx tools/bench/chain-hash-bench.ts [--events 200000] [--rounds 7]
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { LinkedHasher, canonicalEventText, canonicalJson, genesisHash, linkedTextHash } from "@msp/audit-chain";
import { median } from "./bench-kit";

const { values: args } = parseArgs({
  options: { events: { type: "string", default: "200000" }, rounds: { type: "string", default: "7" } },
});
const count = Number(args.events);
const rounds = Number(args.rounds);

const key = randomBytes(32);
const services = ["work", "infra", "vault", "recall", "gateway"];
const texts = Array.from({ length: 1000 }, (_, i) =>
  canonicalEventText({
    seq: 1_000_000 + i,
    id: randomUUID(),
    occurredAt: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, i)),
    service: services[i % services.length]!,
    method: "UpdateWorkItem",
    principal: `user:tech${i % 200}@example.com`,
    resourceType: "work_item",
    resourceId: randomUUID(),
    action: "update",
    outcome: "ok",
    requestSummary: i % 3 === 0 ? null : canonicalJson({ title: `Printer queue stuck at site ${i}`, status: "in_progress", update_mask: "status,title" }),
    sourceIp: i % 4 === 0 ? null : `10.0.${i % 255}.${(i * 7) % 255}`,
  }),
);

type Hash = (prevHash: string, text: string) => string;
const hasher = new LinkedHasher(key);
const variants: [string, Hash][] = [
  ["createHmac (linkedTextHash)", (prev, text) => linkedTextHash(key, prev, text)],
  ["LinkedHasher", (prev, text) => hasher.hash(prev, text)],
];

/** µs per event of chaining `count` events with `hash`. */
function timed(hash: Hash): number {
  let prev = genesisHash;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) prev = hash(prev, texts[i % texts.length]!);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

// Both give the same chain.
let a = genesisHash;
let b = genesisHash;
for (const text of texts) {
  a = variants[0]![1](a, text);
  b = variants[1]![1](b, text);
}
if (a !== b) throw new Error("LinkedHasher and createHmac disagree");

const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, hash] of variants) times.get(name)!.push(timed(hash));
}
console.log(`| hashing | events per block | rounds | median µs per event | each round |`);
console.log(`|---|---|---|---|---|`);
for (const [name, list] of times) {
  console.log(`| ${name} | ${count} | ${rounds} | ${median(list).toFixed(2)} | ${list.map((t) => t.toFixed(2)).join(", ")} |`);
}
const [slow, fast] = variants.map(([name]) => median(times.get(name)!));
console.log(`ratio LinkedHasher / createHmac: ${(fast! / slow!).toFixed(2)} (text ${texts[1]!.length} chars)`);

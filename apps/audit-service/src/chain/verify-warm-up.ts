import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import type { ChainHead, UnchainedEvent } from "@msp/audit-chain";
import { appendEvents, canonicalJson, ChainVerifier, genesisHash } from "@msp/audit-chain";
import { eventTextOfRow, joinedFieldsOf } from "./event-rows";

/** Events a fresh worker verifies in its warm-up: after about this many, it ran as fast as after millions. */
export const warmUpEvents = 100_000;
const chunk = 5000;

/**
 * Runs a verify's own code (the row parsing, canonical texts, the HMACs, ChainVerifier) over a
 * chain made up in memory with a throwaway key, so that a fresh worker thread's first real verify
 * runs as fast as its later ones. Measured (BENCHMARKS.md): in a fresh thread the first 100,000
 * or so events went about a third slower than later ones, and the first verify after a start took
 * that much longer. It yields between chunks and stops as soon as `stop` says so (a real verify
 * came). Throws if the chain it made does not verify: then the row parsing and the hashing disagree.
 */
export async function warmUpVerify(stop: () => boolean, events = warmUpEvents): Promise<void> {
  const hmacKey = randomBytes(32);
  const verifier = new ChainVerifier({ hmacKey, publicKey: generateKeyPairSync("ed25519").publicKey, anchor: null });
  let head: ChainHead = { seq: 0, hash: genesisHash };
  for (let done = 0; done < events && !stop(); done += chunk) {
    const chained = appendEvents(hmacKey, head, madeUpEvents(done, Math.min(chunk, events - done)));
    const texts = chained.map((e) => eventTextOfRow([e.seq, e.prevHash, e.hash, joinedFieldsOf(e)]) ?? { ...e, text: null });
    if (!verifier.addEventTexts(texts)) throw new Error(`the verify warm-up's chain did not verify: ${JSON.stringify(verifier.finish().failure)}`);
    const last = chained[chained.length - 1];
    if (last) head = { seq: last.seq, hash: last.hash };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

const services = ["work-service", "infra-service", "credentials-vault", "recall-service", "identity"];

/** Events shaped like the platform's: ids, times, principals, summaries, some fields null. */
function madeUpEvents(from: number, count: number): UnchainedEvent[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      id: randomUUID(),
      occurredAt: new Date(start + n * 997),
      service: services[n % services.length] as string,
      method: `/msp.example.v1.ExampleService/Update${n % 13}`,
      principal: `user:technician-${n % 200}`,
      resourceType: "work_item",
      resourceId: n % 9 === 0 ? null : randomUUID(),
      action: "update",
      outcome: n % 17 === 0 ? "denied" : "ok",
      requestSummary: n % 4 === 0 ? null : canonicalJson({ title: `Printer queue at site ${n % 500}`, status: "in_progress" }),
      sourceIp: n % 3 === 0 ? null : `10.0.${n % 250}.${(n * 7) % 250}`,
    };
  });
}

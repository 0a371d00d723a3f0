// A worker thread verifying one part of the chain (verify-stored.ts starts it): it opens its own
// connection to the database, so that reading and hashing run beside the other parts on other cores.
import { createPublicKey } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import type { DatabaseConfig } from "@msp/db";
import { createDatabase } from "@msp/db";
import { ChainStore } from "./chain-store";
import type { VerifyPart } from "./verify-part";
import { verifyPart } from "./verify-part";

/** What a verify worker is given. */
export interface VerifyWorkerInput {
  database: DatabaseConfig;
  hmacKey: Uint8Array;
  publicKeyPem: string;
  part: VerifyPart;
}

async function run(input: VerifyWorkerInput) {
  const db = createDatabase({ ...input.database, poolMax: 2 });
  try {
    return await verifyPart(new ChainStore(db), Buffer.from(input.hmacKey), createPublicKey(input.publicKeyPem), input.part);
  } finally {
    await db.close();
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as VerifyWorkerInput).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}

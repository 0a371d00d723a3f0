// A worker thread verifying parts of the chain for verify-pool.ts: it keeps its own connection to
// the database, so that reading and hashing run beside the other parts on other cores, and serves
// parts until the pool ends it. It loads only what reading and hashing need (a RowReader, not
// Sequelize and the models), so that starting one costs little (BENCHMARKS.md).
import { createPublicKey } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import type { DatabaseConfig } from "@msp/db/src/database-config";
import { createRowReader } from "@msp/db/src/row-reader";
import { EventReader } from "./event-rows";
import type { VerifyPart } from "./verify-part";
import { verifyPart } from "./verify-part";

/** A part to verify, with the keys it is verified with. */
export interface VerifyRequest {
  id: number;
  hmacKey: Uint8Array;
  publicKeyPem: string;
  part: VerifyPart;
}

if (parentPort) {
  const port = parentPort;
  const store = new EventReader(createRowReader({ ...(workerData as DatabaseConfig), poolMax: 2 }));
  port.on("message", (request: VerifyRequest) => {
    verifyPart(store, Buffer.from(request.hmacKey), createPublicKey(request.publicKeyPem), request.part).then(
      (result) => port.postMessage({ id: request.id, result }),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

import type { Database } from "@msp/db";
import type { Handlers } from "@msp/grpc-kit";
import type { EncryptionKey, RewrapStatus } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import { KeyServiceService, KeyStatus } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import { EncryptionKeyModel } from "../models";
import type { KeyRing } from "./key-ring";
import type { Rewrapper } from "./rewrap";
import { secretsPerKey } from "./rewrap";

const statusOf: Record<string, KeyStatus> = {
  active: KeyStatus.KEY_STATUS_ACTIVE,
  rewrapping: KeyStatus.KEY_STATUS_REWRAPPING,
  retired: KeyStatus.KEY_STATUS_RETIRED,
};

/** Progress of the rewrap: secrets under the active key and under the others. */
export async function rewrapStatus(db: Database, ring: KeyRing): Promise<RewrapStatus> {
  const active = await ring.activeKey();
  const counts = await secretsPerKey(db);
  let remaining = 0;
  const draining: string[] = [];
  for (const [keyId, count] of counts) {
    if (keyId === active.id) continue;
    remaining += count;
    draining.push(keyId);
  }
  return {
    activeKeyId: active.id,
    rewrapped: BigInt(counts.get(active.id) ?? 0),
    remaining: BigInt(remaining),
    inProgress: remaining > 0,
    drainingKeyIds: draining.sort(),
  };
}

/** KeyService: the ring, its rotation and the rewrap's progress (admins only, by its policy). */
export function keyHandlers(db: Database, ring: KeyRing, rewrapper: Rewrapper): Handlers<typeof KeyServiceService> {
  return {
    listEncryptionKeys: async () => {
      const counts = await secretsPerKey(db);
      const rows = await EncryptionKeyModel.findAll({ order: [["created_at", "DESC"]], raw: true });
      const keys: EncryptionKey[] = rows.map((row) => ({
        id: row.id,
        purpose: row.purpose,
        algorithm: row.algorithm,
        status: statusOf[row.status] ?? KeyStatus.KEY_STATUS_UNSPECIFIED,
        secretCount: BigInt(counts.get(row.id) ?? 0),
        createdAt: new Date(row.created_at),
        retiredAt: row.retired_at === null ? undefined : new Date(row.retired_at),
        createdBy: row.created_by,
      }));
      return { keys };
    },
    rotateDataKey: async (request, ctx) => {
      await ring.rotate(ctx, request.reason.trim().slice(0, 500));
      rewrapper.nudge();
      return rewrapStatus(db, ring);
    },
    getRewrapStatus: () => rewrapStatus(db, ring),
  };
}

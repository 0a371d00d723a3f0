import { CryptoError, generateKey, unwrapDataKey, wrapDataKey } from "@msp/crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import type { Logger } from "@msp/logging";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { EncryptionKeyModel } from "../models";

/** A data key ready to use: its id (bound into every ciphertext made under it) and its bytes. */
export interface DataKey {
  id: string;
  key: Buffer;
}

/** How long a process trusts its idea of which key is active before reading it again. */
const activeKeyTtlMs = 1_000;

/**
 * The key ring: data keys wrapped by the master key in encryption_keys, unwrapped once and kept in
 * memory. `load` is the start-up key check: a master key that does not open the ring stops the
 * service. Several instances share the ring through the table; a key made by another instance is
 * unwrapped when first met.
 */
export class KeyRing {
  private readonly keys = new Map<string, Buffer>();
  private active: { id: string; until: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly masterKey: Buffer,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens every data key with the master key (after rewrapping under it the keys that the previous
   * master key still wraps), making the first key on an empty ring. Throws, naming the problem,
   * when the master key does not open the ring.
   */
  async load(previousMasterKey: Buffer | undefined): Promise<void> {
    if (previousMasterKey !== undefined) await this.rewrapMasterKey(previousMasterKey);
    const rows = await EncryptionKeyModel.findAll({ raw: true });
    for (const row of rows) {
      try {
        this.keys.set(row.id, unwrapDataKey(this.masterKey, Buffer.from(row.wrapped_key, "base64"), row.id));
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        throw new Error(
          `the vault master key (MSP_VAULT_MASTER_KEY) does not open data key ${row.id} of the key ring: ` +
            "start with the master key this database's vault was created with; to change master keys, " +
            "give the old one as MSP_VAULT_PREVIOUS_MASTER_KEY for one start",
        );
      }
    }
    if (!rows.some((row) => row.status === "active")) await this.createFirstKey();
  }

  /** The key new secrets are encrypted under. */
  async activeKey(): Promise<DataKey> {
    const now = Date.now();
    if (this.active === undefined || this.active.until < now) {
      // db.select, not the model: sealing runs inside write transactions, and on MariaDB a second
      // connection from their pool deadlocks once every connection is held by such a transaction.
      const [row] = await this.db.select<{ id: string }>(
        "SELECT id FROM encryption_keys WHERE status = 'active' ORDER BY created_at DESC LIMIT 1",
        [],
      );
      if (!row) throw new Error("the key ring has no active data key");
      this.active = { id: row.id, until: now + activeKeyTtlMs };
    }
    return { id: this.active.id, key: await this.keyById(this.active.id) };
  }

  /** The data key `id`, unwrapping it when another instance made it. */
  async keyById(id: string): Promise<Buffer> {
    const known = this.keys.get(id);
    if (known) return known;
    const [row] = await this.db.select<{ id: string; wrapped_key: string }>("SELECT id, wrapped_key FROM encryption_keys WHERE id = ?", [
      id,
    ]);
    if (!row) throw new CryptoError("decrypt_failed", `no data key ${id} in the key ring`);
    const key = unwrapDataKey(this.masterKey, Buffer.from(row.wrapped_key, "base64"), row.id);
    this.keys.set(id, key);
    return key;
  }

  /**
   * Makes a new active data key; the keys active before become `rewrapping` until the rewrap job
   * has moved their secrets. Returns the new key's id.
   */
  async rotate(ctx: MutationContext, reason: string): Promise<string> {
    const id = uuidv7();
    const key = generateKey();
    await this.db.transaction(async (transaction) => {
      await EncryptionKeyModel.update({ status: "rewrapping" }, { where: { status: "active" }, transaction });
      await EncryptionKeyModel.create(this.rowOf(id, key, ctx.principal), { transaction });
      await writeAuditEvent(transaction, ctx, {
        resourceType: "encryption_key",
        resourceId: id,
        action: "create",
        summary: { reason, purpose: "secrets" },
      });
    });
    this.keys.set(id, key);
    this.active = { id, until: Date.now() + activeKeyTtlMs };
    return id;
  }

  private rowOf(id: string, key: Buffer, createdBy: string) {
    return {
      id,
      purpose: "secrets",
      wrapped_key: wrapDataKey(this.masterKey, key, id).toString("base64"),
      algorithm: "aes-256-gcm",
      status: "active" as const,
      created_by: createdBy,
      created_at: new Date(),
      retired_at: null,
    };
  }

  /** An empty ring gets its first key; when two instances race, the older key stays active. */
  private async createFirstKey(): Promise<void> {
    const id = uuidv7();
    const key = generateKey();
    await EncryptionKeyModel.create(this.rowOf(id, key, "vault-service"));
    this.keys.set(id, key);
    const active = await EncryptionKeyModel.findAll({ where: { status: "active" }, order: [["id", "ASC"]], raw: true });
    const extra = active.slice(1).map((row) => row.id);
    if (extra.length > 0) await EncryptionKeyModel.update({ status: "rewrapping" }, { where: { id: extra } });
    this.logger.info({ keyId: active[0]?.id ?? id }, "vault key ring created");
  }

  /** Rewraps under the master key every data key that only the previous master key opens. */
  private async rewrapMasterKey(previousMasterKey: Buffer): Promise<void> {
    let moved = 0;
    await this.db.transaction(async (transaction) => {
      const rows = await EncryptionKeyModel.findAll({ raw: true, transaction });
      for (const row of rows) {
        const wrapped = Buffer.from(row.wrapped_key, "base64");
        if (opens(this.masterKey, wrapped, row.id)) continue;
        if (!opens(previousMasterKey, wrapped, row.id)) {
          throw new Error(`neither MSP_VAULT_MASTER_KEY nor MSP_VAULT_PREVIOUS_MASTER_KEY opens data key ${row.id} of the key ring`);
        }
        const key = unwrapDataKey(previousMasterKey, wrapped, row.id);
        await EncryptionKeyModel.update(
          { wrapped_key: wrapDataKey(this.masterKey, key, row.id).toString("base64") },
          { where: { id: row.id }, transaction },
        );
        moved += 1;
      }
    });
    if (moved > 0)
      this.logger.info({ keys: moved }, "data keys rewrapped under the new master key; MSP_VAULT_PREVIOUS_MASTER_KEY can be removed");
  }
}

function opens(masterKey: Buffer, wrapped: Buffer, id: string): boolean {
  try {
    unwrapDataKey(masterKey, wrapped, id);
    return true;
  } catch {
    return false;
  }
}

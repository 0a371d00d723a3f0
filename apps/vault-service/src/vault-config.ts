import { CryptoError, parseMasterKey, readMasterKeyFile } from "@msp/crypto";
import { z } from "@msp/config";

/** The vault's own settings. */
export interface VaultSettings {
  /** Wraps every data key of the ring. */
  masterKey: Buffer;
  /** The master key being replaced: data keys it still wraps are rewrapped under masterKey at start-up. */
  previousMasterKey: Buffer | undefined;
  /** Secrets re-encrypted per transaction by the rewrap job. */
  rewrapBatch: number;
}

const howToMake = "make one with `openssl rand -base64 32` (npm start makes data/vault-master-key on the embedded default)";

/** One key from a value variable or a file variable (not both), as a config problem when it is wrong. */
function keyOf(value: string | undefined, file: string | undefined, name: string, ctx: z.RefinementCtx): Buffer | undefined {
  if (value !== undefined && file !== undefined) {
    ctx.addIssue({ code: "custom", path: [name], message: `set ${name} or ${name}_FILE, not both` });
    return undefined;
  }
  try {
    if (value !== undefined) return parseMasterKey(value, name);
    if (file !== undefined) return readMasterKeyFile(file, `${name}_FILE`);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    ctx.addIssue({ code: "custom", path: [name], message: error.message });
  }
  return undefined;
}

/**
 * MSP_VAULT_MASTER_KEY (base64) or MSP_VAULT_MASTER_KEY_FILE; MSP_VAULT_PREVIOUS_MASTER_KEY(_FILE)
 * while the master key is being changed; VAULT_REWRAP_BATCH.
 */
export const vaultConfig = z
  .object({
    MSP_VAULT_MASTER_KEY: z.string().optional(),
    MSP_VAULT_MASTER_KEY_FILE: z.string().min(1).optional(),
    MSP_VAULT_PREVIOUS_MASTER_KEY: z.string().optional(),
    MSP_VAULT_PREVIOUS_MASTER_KEY_FILE: z.string().min(1).optional(),
    VAULT_REWRAP_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  })
  .transform((env, ctx): VaultSettings => {
    const masterKey = keyOf(env.MSP_VAULT_MASTER_KEY, env.MSP_VAULT_MASTER_KEY_FILE, "MSP_VAULT_MASTER_KEY", ctx);
    if (masterKey === undefined && env.MSP_VAULT_MASTER_KEY === undefined && env.MSP_VAULT_MASTER_KEY_FILE === undefined) {
      ctx.addIssue({ code: "custom", path: ["MSP_VAULT_MASTER_KEY"], message: `is required (or MSP_VAULT_MASTER_KEY_FILE); ${howToMake}` });
    }
    const previousMasterKey = keyOf(
      env.MSP_VAULT_PREVIOUS_MASTER_KEY,
      env.MSP_VAULT_PREVIOUS_MASTER_KEY_FILE,
      "MSP_VAULT_PREVIOUS_MASTER_KEY",
      ctx,
    );
    return { masterKey: masterKey ?? Buffer.alloc(0), previousMasterKey, rewrapBatch: env.VAULT_REWRAP_BATCH };
  });

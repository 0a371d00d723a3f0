import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createMasterKeyFile } from "@msp/crypto";

/**
 * Where the vault service reads its master key. Production sets MSP_VAULT_MASTER_KEY or
 * MSP_VAULT_MASTER_KEY_FILE, kept away from the database and its backups; `npm start` otherwise
 * makes data/vault-master-key on first run (32 random bytes, base64, mode 0600) and keeps using it.
 */
export function vaultMasterKeyEnv(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  if (env["MSP_VAULT_MASTER_KEY"] || env["MSP_VAULT_MASTER_KEY_FILE"]) return {};
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "vault-master-key");
  createMasterKeyFile(file);
  return { MSP_VAULT_MASTER_KEY_FILE: file };
}

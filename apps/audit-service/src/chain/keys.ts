import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import {
  hmacKeyId,
  loadOrCreateHmacKeyFile,
  loadOrCreateSigningKeyFile,
  parseHmacKey,
  parseSigningKey,
  publicKeyId,
  readHmacKeyFile,
  readSigningKeyFile,
} from "@msp/audit-chain";
import type { AuditSettings } from "../audit-config";

/** The chain's keys: the HMAC key every event's hash uses, and the Ed25519 pair checkpoints are signed with. */
export interface ChainKeys {
  hmacKey: Buffer;
  hmacKeyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyId: string;
}

/**
 * The keys from MSP_AUDIT_HMAC_KEY(_FILE) and MSP_AUDIT_SIGNING_KEY(_FILE); where neither variable of
 * a key is set, from a file in the data folder, made on first start (mode 0600). Every instance of
 * the audit service must use the same keys: production sets the variables.
 */
export function loadChainKeys(settings: AuditSettings & { dataDir: string }): ChainKeys {
  const hmacKey =
    settings.hmacKey !== undefined
      ? parseHmacKey(settings.hmacKey, "MSP_AUDIT_HMAC_KEY")
      : settings.hmacKeyFile !== undefined
        ? readHmacKeyFile(settings.hmacKeyFile, "MSP_AUDIT_HMAC_KEY_FILE")
        : loadOrCreateHmacKeyFile(join(settings.dataDir, "audit-hmac-key"));
  const signing =
    settings.signingKey !== undefined
      ? parseSigningKey(settings.signingKey, "MSP_AUDIT_SIGNING_KEY")
      : settings.signingKeyFile !== undefined
        ? readSigningKeyFile(settings.signingKeyFile, "MSP_AUDIT_SIGNING_KEY_FILE")
        : loadOrCreateSigningKeyFile(join(settings.dataDir, "audit-signing-key.pem"));
  return {
    hmacKey,
    hmacKeyId: hmacKeyId(hmacKey),
    privateKey: signing.privateKey,
    publicKey: signing.publicKey,
    publicKeyId: publicKeyId(signing.publicKey),
  };
}

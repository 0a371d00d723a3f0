import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/** A secret column pair: the AES-256-GCM ciphertext (with its tag) and its nonce, both base64. */
function sealed(name: string) {
  return { [name]: col.text(), [`${name}_nonce`]: col.string(24) };
}

/**
 * The vault service's tables: the key ring (data keys wrapped by the master key), credentials with
 * their earlier secrets, permissions and access log, security incidents, and the platform's own
 * integration secrets. Secrets are stored only as ciphertext; each row names the data key it is under.
 */
export const vault: Migration = {
  name: "20261204000000-Vault",
  async up(ctx) {
    await createTable(
      ctx,
      "encryption_keys",
      {
        id: col.id(),
        purpose: col.string(32).notNull(),
        wrapped_key: col.string(128).notNull(),
        algorithm: col.string(32).notNull(),
        // active: new secrets go under it (one at a time); rewrapping: its secrets are being moved to
        // the active key; retired: no secret uses it.
        status: col.enum(["active", "rewrapping", "retired"]).notNull(),
        created_by: col.string(255).notNull(),
        created_at: col.datetime().notNull(),
        retired_at: col.datetime(),
      },
      { indexes: ["status", "created_at"] },
    );
    await createTable(
      ctx,
      "credentials",
      {
        ...entityColumns(),
        // Owned by the work and infrastructure services: plain ids, no foreign keys.
        client_id: col.uuid(),
        infrastructure_id: col.uuid(),
        service_id: col.uuid(),
        credential_type: col
          .enum([
            "password",
            "api_key",
            "oauth_client",
            "ssh_key",
            "shared_secret",
            "token",
            "connection_string",
            "certificate",
            "totp_seed",
          ])
          .notNull(),
        name: col.string(255).notNull(),
        username: col.string(255),
        public_part: col.text(),
        url: col.string(2048),
        host: col.string(255),
        port: col.int(),
        requires_vpn: col.bool().notNull().default(false),
        requires_2fa: col.bool().notNull().default(false),
        access_notes: col.text(),
        expires_at: col.datetime(),
        rotated_at: col.datetime(),
        rotated_by: col.string(255),
        is_active: col.bool().notNull().default(true),
        has_secret: col.bool().notNull().default(false),
        secret_version: col.int().notNull().default(0),
        ...sealed("secret"),
        key_id: col.ref("encryption_keys", "RESTRICT"),
      },
      {
        indexes: [
          "client_id",
          "infrastructure_id",
          "service_id",
          "credential_type",
          "name",
          "username",
          "host",
          "is_active",
          "expires_at",
          "key_id",
          "created_at",
        ],
        checks: ["port IS NULL OR (port >= 1 AND port <= 65535)"],
      },
    );
    await createTable(
      ctx,
      "credential_versions",
      {
        id: col.id(),
        credential_id: col.ref("credentials", "CASCADE").notNull(),
        version: col.int().notNull(),
        ...sealed("secret"),
        key_id: col.ref("encryption_keys", "RESTRICT").notNull(),
        replaced_at: col.datetime().notNull(),
        replaced_by: col.string(255).notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: [["credential_id", "version"]], indexes: ["key_id"] },
    );
    await createTable(
      ctx,
      "credential_permissions",
      {
        id: col.id(),
        credential_id: col.ref("credentials", "CASCADE").notNull(),
        principal: col.string(64).notNull(),
        level: col.enum(["read", "reveal", "write", "admin"]).notNull(),
        granted_by: col.string(255).notNull(),
        granted_at: col.datetime().notNull(),
      },
      { unique: [["credential_id", "principal"]], indexes: ["principal"] },
    );
    await createTable(
      ctx,
      "credential_access_log",
      {
        id: col.id(),
        // No foreign key: the log outlives the credential.
        credential_id: col.uuid().notNull(),
        action: col.enum(["reveal", "create", "update", "rotate", "delete", "totp"]).notNull(),
        principal: col.string(255).notNull(),
        principal_id: col.string(64),
        source_ip: col.string(64),
        user_agent: col.string(255),
        reason: col.string(500),
        outcome: col.enum(["ok", "denied", "failed"]).notNull(),
        detail: col.string(500),
        version: col.int(),
        at: col.datetime().notNull(),
      },
      { indexes: ["credential_id", "principal_id", "action", "outcome", "at"] },
    );
    await createTable(
      ctx,
      "security_incidents",
      {
        ...entityColumns(),
        client_id: col.uuid(),
        infrastructure_id: col.uuid(),
        service_id: col.uuid(),
        incident_type: col
          .enum(["bec", "backdoor", "malware", "unauthorized_access", "data_breach", "phishing", "ransomware", "brute_force", "other"])
          .notNull(),
        severity: col.enum(["critical", "high", "medium", "low"]).notNull(),
        occurred_at: col.datetime().notNull(),
        description: col.text().notNull(),
        findings: col.text(),
        remediation_steps: col.text(),
        status: col.enum(["investigating", "contained", "resolved", "monitoring"]).notNull().default("investigating"),
        resolved_at: col.datetime(),
        notes: col.text(),
      },
      {
        indexes: [
          "client_id",
          "infrastructure_id",
          "service_id",
          "incident_type",
          "severity",
          "status",
          "occurred_at",
          "resolved_at",
          "created_at",
        ],
      },
    );
    await createTable(
      ctx,
      "integration_credentials",
      {
        ...entityColumns(),
        integration: col.enum(["syncro", "msp_backups", "zapier", "other"]).notNull(),
        credential_type: col.enum(["oauth_token", "api_key", "basic_auth"]).notNull(),
        name: col.string(255),
        username: col.string(255),
        api_base_url: col.string(2048),
        webhook_url: col.string(2048),
        expires_at: col.datetime(),
        last_tested_at: col.datetime(),
        last_test_status: col.enum(["ok", "failed"]),
        is_active: col.bool().notNull().default(true),
        has_secret: col.bool().notNull().default(false),
        has_refresh_token: col.bool().notNull().default(false),
        has_webhook_secret: col.bool().notNull().default(false),
        ...sealed("secret"),
        ...sealed("refresh_token"),
        ...sealed("webhook_secret"),
        key_id: col.ref("encryption_keys", "RESTRICT"),
      },
      { indexes: ["integration", "credential_type", "is_active", "expires_at", "key_id", "created_at"] },
    );
  },
  async down(ctx) {
    for (const table of [
      "integration_credentials",
      "security_incidents",
      "credential_access_log",
      "credential_permissions",
      "credential_versions",
      "credentials",
      "encryption_keys",
    ]) {
      await dropTable(ctx, table);
    }
  },
};

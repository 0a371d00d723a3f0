import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import type { CallContext } from "@msp/grpc-kit";
import type { AuditEventInput, ResourceStore, StoredRecord } from "@msp/resource-kit";
import { normalizeRow, writeCallsAuditEvents } from "@msp/resource-kit";
import type { Credential } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { QueryTypes } from "sequelize";
import { CredentialAccessModel, CredentialModel, CredentialPermissionModel } from "../models";
import { accessRow } from "./access-log";
import { createdEntry, creatorPermission, prepareCredential } from "./credential.resource";
import type { CredentialSecrets } from "./credential-secrets";
import type { BatchWriter } from "./group-commit";
import { GroupCommit } from "./group-commit";

/** One create, checked and sealed, waiting for its batch. */
interface PendingCreate {
  ctx: CallContext;
  message: Credential;
  secret: string;
  /** The credentials row, its secret sealed to its id. */
  row: StoredRecord;
  /** The audit event of the create: the caller's fields, as the unbatched create audits them. */
  event: AuditEventInput;
}

/**
 * Credential creates, written in batches (group-commit.ts): concurrent creates share one
 * transaction of four multi-row INSERTs (credentials, their creators' permissions, the access-log
 * rows, the audit events) and one read-back, instead of seven statements each. What a create
 * writes, and answers, is what the store's create writes (credential.resource.ts): the same row,
 * permission, access-log row and audit event, each committed with its credential. A create whose
 * call has an idempotency key is not batched: its key's claim and answer must commit in a
 * transaction of its own (grpc-kit idempotency.ts), and the batch's belongs to no one call.
 */
export class CredentialCreates {
  private readonly group: GroupCommit<PendingCreate, Credential>;

  constructor(
    private readonly db: Database,
    private readonly store: ResourceStore<Credential>,
    private readonly secrets: CredentialSecrets,
  ) {
    const writer: BatchWriter<PendingCreate, Credential> = {
      writeBatch: (items, committing) => this.writeBatch(items, committing),
      // Alone, a create takes the store's own path: its checks, hooks and error messages.
      writeAlone: (item) => this.store.create(item.message, item.ctx, this.secrets.firstSecret(item.secret)),
    };
    this.group = new GroupCommit(writer);
  }

  /** Checks the create as the store does, seals its secret, and answers once its batch committed. */
  async create(message: Credential | undefined, secret: string, ctx: CallContext): Promise<Credential> {
    const record = this.store.givenColumns(message);
    prepareCredential(record);
    this.store.checkRequired(record);
    const id = uuidv7();
    const now = new Date();
    const sealed = await this.secrets.sealFirst(id, secret, ctx.principal);
    const row = { ...record, ...sealed, id, revision: 1, created_at: now, updated_at: now };
    const event: AuditEventInput = { resourceType: this.store.definition.name, resourceId: id, action: "create", summary: record };
    return this.group.submit({ ctx, message: message as Credential, secret, row, event });
  }

  private async writeBatch(items: readonly PendingCreate[], committing: () => void): Promise<Credential[]> {
    return this.db.transaction(async (transaction) => {
      await CredentialModel.bulkCreate(
        items.map((item) => item.row),
        { transaction },
      );
      // The change's own event first, then the rows derived from it, as the store writes them.
      await writeCallsAuditEvents(
        transaction,
        items.map((item) => ({ ctx: item.ctx, event: item.event })),
      );
      await CredentialPermissionModel.bulkCreate(
        items.map((item) => creatorPermission(String(item.row["id"]), item.ctx)),
        { transaction },
      );
      await CredentialAccessModel.bulkCreate(
        items.map((item) => accessRow(item.ctx, createdEntry(String(item.row["id"])))),
        { transaction },
      );
      // Answered with the rows as the transaction wrote them, read before it commits.
      const ids = items.map((item) => String(item.row["id"]));
      const rows = await this.db.sequelize.query<StoredRecord>(`SELECT * FROM credentials WHERE id IN (${ids.map(() => "?").join(", ")})`, {
        replacements: ids,
        type: QueryTypes.SELECT,
        transaction,
      });
      const byId = new Map(rows.map((row) => [String(row["id"]), row]));
      const answers = ids.map((id) => {
        const row = byId.get(id);
        if (!row) throw new Error(`credential ${id} was not read back from its own transaction`);
        return this.store.toMessage(normalizeRow(this.store.fields, row));
      });
      committing();
      return answers;
    });
  }
}

import type { DescMessage } from "@bufbuild/protobuf";
import type { Transaction, WhereOptions } from "sequelize";
import { ForeignKeyConstraintError, Op, QueryTypes, UniqueConstraintError } from "sequelize";
import type { Model, ModelCtor } from "sequelize-typescript";
import type { Database } from "@msp/db";
import type { AnswerKeeper } from "@msp/grpc-kit";
import { isLockConflict, isUuid, uuidv7 } from "@msp/db";
import { aborted, alreadyExists, failedPrecondition, invalidArgument, invalidArguments, notFound } from "@msp/errors";
import type { MutationContext } from "./audit-outbox";
import { writeAuditEvent } from "./audit-outbox";
import type { ProtoObject, StoredRecord } from "./codec";
import { fromStored, isPresent, normalizeRow, textOf, toStored } from "./codec";
import { etagOf } from "./etag";
import type { FieldInfo, FieldOverrides } from "./fields";
import { describeFields } from "./fields";
import type { RowEncoder } from "./row-encoder";
import { createRowEncoder } from "./row-encoder";
import type { OrderTerm } from "./query";
import { afterCursor, compileFilter, decodePageToken, encodePageToken, pageSizeOf, parseOrderBy, toSnake } from "./query";

/** HookContext.given outside a create or update. */
const noFields: ReadonlySet<string> = new Set();

/** Fields every resource has and no caller sets. */
const systemFields = ["id", "etag", "created_at", "updated_at"];

/** Everything a hook may need: the database, the open transaction, who is calling. */
export interface HookContext {
  db: Database;
  transaction: Transaction;
  ctx: MutationContext;
  /**
   * The fields the caller set in this create or update (an update's mask paths, cleared ones
   * included); empty elsewhere. Rules such as "derived unless given" read it instead of diffing rows.
   */
  given: ReadonlySet<string>;
  /**
   * The write's own time: a create's created_at, an update's updated_at. Times a hook derives for
   * "now" take it, so they equal the record's own (never a millisecond apart).
   */
  now: Date;
}

/**
 * What makes one resource special. The kit derives the rest (field types, mapping, paging,
 * filters, masks, etags, audit) from the proto message and the model.
 */
export interface ResourceDefinition {
  /** Singular name for messages and audit events: "client". */
  name: string;
  model: ModelCtor<Model>;
  /** The protobuf-es descriptor of the resource message. */
  schema: DescMessage;
  fieldOverrides?: FieldOverrides;
  /** Fields computed by the service, never written by callers (beyond id, etag and timestamps). */
  outputOnly?: readonly string[];
  /** Fields a Create must carry, and that an Update may not clear. */
  required?: readonly string[];
  /** Fields that cannot change after creation. */
  immutable?: readonly string[];
  /** Indexed fields List may filter on. */
  filterable: readonly string[];
  /** Non-null fields List may order by. */
  orderable: readonly string[];
  /** Order when order_by is empty, such as "created_at desc"; id otherwise (creation order). */
  defaultOrderBy?: string;
  /**
   * The unique column that ends every List order, so that pages never skip or repeat a row: id
   * unless the table has another key (audit events: seq).
   */
  tiebreak?: string;
  /** Unique column sets, to name the clash in ALREADY_EXISTS. */
  unique?: readonly (readonly string[])[];
  /** Fields holding ids of other rows: field -> [model, resource name]. Checked on write. */
  references?: Readonly<Record<string, readonly [ModelCtor<Model>, string]>>;
  /**
   * Takes, before an update or delete locks the row itself, the locks that must come first: a
   * parent row that every writer of its children locks, so all of them lock in one order.
   */
  lockFirst?(id: string, hook: HookContext): Promise<void>;
  /** Normalizes and checks the row about to be stored (merged with the existing one on update). */
  prepare?(row: StoredRecord, existing: StoredRecord | undefined, hook: HookContext): Promise<void> | void;
  /** Refuses a delete that would break something, with a DomainError. */
  beforeDelete?(row: StoredRecord, hook: HookContext): Promise<void>;
  /**
   * Runs after a create or update is written, in the same transaction, with the row as stored
   * and the row before (undefined on create): for records derived from this one (totals kept on
   * another table, figures of sibling rows). What it rewrites it audits (writeAuditEvents).
   */
  afterWrite?(row: StoredRecord, existing: StoredRecord | undefined, hook: HookContext): Promise<void>;
  /** Runs after a delete, in the same transaction, with the row that was deleted. */
  afterDelete?(row: StoredRecord, hook: HookContext): Promise<void>;
}

/**
 * Columns a service computes inside a create's or update's transaction: given the row's id and
 * (on update) the row as it was, it may write other tables through `hook.transaction` too.
 */
export type InternalColumns = (id: string, existing: StoredRecord | undefined, hook: HookContext) => Promise<StoredRecord>;

/** How a create or update is answered besides its message. */
export interface WriteOptions {
  /**
   * The call's answer is the message this write returns: record it inside the write's own
   * transaction (an idempotency key's, grpc-kit CallContext.keepAnswer), so that it commits with it.
   */
  keepAnswer?: AnswerKeeper | undefined;
}

export interface ListRequest {
  pageSize: number;
  pageToken: string;
  filter: string;
  orderBy: string;
}

/** The five standard methods of one resource, over one database. */
export interface ResourceStore<M> {
  readonly definition: ResourceDefinition;
  readonly fields: readonly FieldInfo[];
  get(id: string): Promise<M>;
  /** The stored row of `id` (normalized), for custom reads: INVALID_ARGUMENT or NOT_FOUND as `get`. */
  getRow(id: string): Promise<StoredRecord>;
  /**
   * The record as `transaction` sees it (locked on MariaDB): what a custom write answers, read
   * before it commits, so that a committed write is never answered with a failed read after it.
   */
  getWithin(transaction: Transaction, id: string): Promise<M>;
  /** `restrict` narrows the list further (what the caller may see), ANDed with the filter. */
  list(request: ListRequest, restrict?: WhereOptions): Promise<{ items: M[]; nextPageToken: string }>;
  /**
   * `internal` adds columns no caller can set, such as a password hash; given as a function, it
   * computes them in the create's transaction from the new row's id (a ciphertext bound to its row).
   * The answer is the record as the create's transaction wrote it, read before it commits.
   */
  create(message: M | undefined, ctx: MutationContext, internal?: StoredRecord | InternalColumns, options?: WriteOptions): Promise<M>;
  /**
   * A create inside a transaction the caller holds (an import of many rows, all or nothing): the
   * same checks, row and audit event as `create`; returns the new id. Errors come as `create`'s.
   */
  createWithin(hook: HookContext, message: M | undefined, field?: string): Promise<string>;
  /**
   * `internal` computes columns no caller can set in the update's transaction, from the row as it
   * was. The answer is the record as the update's transaction left it, read before it commits.
   */
  update(
    message: M | undefined,
    updateMask: readonly string[] | undefined,
    ctx: MutationContext,
    internal?: InternalColumns,
    options?: WriteOptions,
  ): Promise<M>;
  delete(id: string, etag: string, ctx: MutationContext): Promise<void>;
  /** Turns a stored row (as the driver gives it, or normalized) into its message, etag included: for custom methods. */
  toMessage(row: StoredRecord): M;
  /** Writes a stored row's message (what toMessage gives) straight to protobuf: for responses of thousands of rows. */
  encodeRow: RowEncoder;
  /** Runs a custom mutation in one transaction with its audit event. */
  mutate<T>(ctx: MutationContext, fn: (hook: HookContext) => Promise<T>): Promise<T>;
  /**
   * The columns a create's message gives (the caller's writable fields, null ones left out), checked
   * as `create` checks them: for a service that writes its creates itself (several in one transaction).
   * It then runs its own prepare and `checkRequired`, as `create` does.
   */
  givenColumns(message: M | undefined): StoredRecord;
  /** Throws INVALID_ARGUMENT naming each required field `record` lacks, as `create` does. */
  checkRequired(record: StoredRecord): void;
}

export function createResourceStore<M>(db: Database, definition: ResourceDefinition): ResourceStore<M> {
  const fields = describeFields(definition.schema, definition.fieldOverrides);
  const outputOnly = new Set([...systemFields, ...(definition.outputOnly ?? [])]);
  const writable = fields.filter((f) => !outputOnly.has(f.name));
  const required = new Set(definition.required ?? []);
  const immutable = new Set(definition.immutable ?? []);
  const model = definition.model;
  // Sequelize aliases the table by the model's name in SELECTs; raw SQL fragments must use it.
  const alias = model.name;
  const defaultOrder = parseOrderBy(definition.defaultOrderBy ?? "", definition.orderable, definition.tiebreak);

  function requireId(id: string, field = "id"): string {
    if (id === "") throw invalidArgument(field, "is required");
    if (!isUuid(id)) throw invalidArgument(field, "must be a UUID");
    return id.toLowerCase();
  }

  const table = model.getTableName() as string;
  const queryGenerator = db.sequelize.getQueryInterface().queryGenerator as {
    selectQuery(table: string, options: object, model: ModelCtor<Model>): string;
  };
  // Reads by primary key are the hottest path: plain SQL, no query building per call.
  const selectById = `SELECT * FROM ${db.sequelize.getQueryInterface().quoteIdentifier(table)} WHERE id = ?`;
  const selectByIdForUpdate = db.dialect === "mariadb" ? `${selectById} FOR UPDATE` : selectById;

  async function findRow(id: string, transaction?: Transaction): Promise<StoredRecord> {
    const [row] = transaction
      ? await db.sequelize.query<StoredRecord>(selectByIdForUpdate, { replacements: [id], type: QueryTypes.SELECT, transaction })
      : await db.select<StoredRecord>(selectById, [id]);
    if (!row) throw notFound(definition.name, id);
    return normalizeRow(fields, row);
  }

  function toMessage(row: StoredRecord): M {
    const message = fromStored(fields, row);
    message["etag"] = etagOf(textOf(row["id"]), Number(row["revision"]));
    return message as M;
  }

  async function checkReferences(record: StoredRecord, transaction: Transaction): Promise<void> {
    for (const [field, [refModel, refName]] of Object.entries(definition.references ?? {})) {
      const id = record[field];
      if (id === null || id === undefined) continue;
      const found = await refModel.findOne({ where: { id }, attributes: ["id"], raw: true, transaction });
      if (!found) throw invalidArgument(field, `no ${refName} has id ${textOf(id)}`);
    }
  }

  function translateWriteError(error: unknown, action: "write" | "delete"): unknown {
    if (error instanceof UniqueConstraintError) {
      const text = `${Object.keys(error.fields ?? {}).join(" ")} ${error.message} ${String((error.parent as { message?: string } | undefined)?.message ?? "")}`;
      const clash = (definition.unique ?? []).find((cols) => cols.every((c) => text.includes(c))) ?? definition.unique?.[0];
      return alreadyExists(`a ${definition.name} with the same ${clash ? clash.join(" and ") : "key"} already exists`);
    }
    if (isLockConflict(error)) {
      return aborted(`the ${definition.name} could not be written for a concurrent change; retry`);
    }
    if (error instanceof ForeignKeyConstraintError) {
      return action === "delete"
        ? failedPrecondition(`the ${definition.name} is still referenced by other records`)
        : invalidArgument(definition.name, "refers to a record that does not exist");
    }
    return error;
  }

  /** Runs `fn` in a transaction (again if it lost a deadlock: db.transaction; so `fn` must start from scratch each time). */
  async function mutate<T>(ctx: MutationContext, fn: (hook: HookContext) => Promise<T>, action: "write" | "delete" = "write"): Promise<T> {
    try {
      return await db.transaction((transaction) => fn({ db, transaction, ctx, given: noFields, now: new Date() }));
    } catch (error) {
      throw translateWriteError(error, action);
    }
  }

  function checkRequired(record: StoredRecord, prefix: string): void {
    const missing = [...required].filter((name) => record[name] === null || record[name] === undefined || record[name] === "");
    if (missing.length > 0) invalidArgumentsFor(prefix, missing);
  }

  function invalidArgumentsFor(prefix: string, missing: string[]): never {
    throw invalidArguments(missing.map((name) => ({ field: `${prefix}.${name}`, description: "is required" })));
  }

  /** Writes a new row from the caller's fields in `hook`'s transaction, with its audit event; returns its id. */
  async function insert(
    hook: HookContext,
    given: StoredRecord,
    prefix: string,
    internal?: StoredRecord | InternalColumns,
  ): Promise<string> {
    // Built afresh for each run of the transaction: prepare changes it.
    const id = uuidv7();
    const fixed = typeof internal === "function" ? {} : (internal ?? {});
    const record: StoredRecord = { ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null)), ...fixed };
    const now = hook.now;
    await definition.prepare?.(record, undefined, { ...hook, given: new Set(Object.keys(given).filter((k) => given[k] !== null)) });
    checkRequired(record, prefix);
    await checkReferences(record, hook.transaction);
    const computed = typeof internal === "function" ? await internal(id, undefined, hook) : {};
    const row = { ...record, ...computed, id, revision: 1, created_at: now, updated_at: now };
    await model.create(row, { transaction: hook.transaction });
    // The change's own event first, then those of the records afterWrite derives from it.
    await writeAuditEvent(hook.transaction, hook.ctx, {
      resourceType: definition.name,
      resourceId: row.id,
      action: "create",
      summary: record,
    });
    await definition.afterWrite?.(row, undefined, hook);
    return row.id;
  }

  /**
   * The record `id` as the write's transaction left it (afterWrite included), read before the
   * commit; kept as the call's answer in the same transaction when the call asks for it.
   */
  async function answered(transaction: Transaction, id: string, options: WriteOptions): Promise<M> {
    const message = toMessage(await findRow(id, transaction));
    await options.keepAnswer?.(transaction, message);
    return message;
  }

  let rowEncoder: RowEncoder | undefined;

  return {
    definition,
    fields,
    toMessage,
    encodeRow(row, sink) {
      rowEncoder ??= createRowEncoder(definition.schema, fields);
      rowEncoder(row, sink);
    },
    mutate: (ctx, fn) => mutate(ctx, fn),

    givenColumns(message) {
      const prefix = definition.name;
      if (!message) throw invalidArgument(prefix, "is required");
      const given = toStored(writable, message as ProtoObject, prefix);
      return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null));
    },

    checkRequired: (record) => checkRequired(record, definition.name),

    async get(id) {
      return toMessage(await findRow(requireId(id)));
    },

    getRow: (id) => findRow(requireId(id)),

    getWithin: async (transaction, id) => toMessage(await findRow(requireId(id), transaction)),

    async list(request, restrict) {
      const pageSize = pageSizeOf(request.pageSize);
      const order: OrderTerm[] =
        request.orderBy.trim() === "" ? defaultOrder : parseOrderBy(request.orderBy, definition.orderable, definition.tiebreak);
      const conditions: WhereOptions[] = compileFilter(db, alias, request.filter, fields, definition.filterable);
      if (restrict !== undefined) conditions.push(restrict);
      if (request.pageToken !== "") conditions.push(afterCursor(order, decodePageToken(request.pageToken, request.filter, order, fields)));
      // Sequelize writes the SQL (values escaped); the driver runs it on the fast read path.
      const sql = queryGenerator.selectQuery(
        table,
        { where: { [Op.and]: conditions }, order: order.map((o) => [o.column, o.desc ? "DESC" : "ASC"]), limit: pageSize + 1 },
        model,
      );
      const rows = await db.select<StoredRecord>(sql, []);
      const page = rows.slice(0, pageSize).map((row) => normalizeRow(fields, row));
      const last = page[page.length - 1];
      return {
        items: page.map(toMessage),
        nextPageToken: rows.length > pageSize && last ? encodePageToken(request.filter, order, last, fields) : "",
      };
    },

    async create(message, ctx, internal, options = {}) {
      const prefix = definition.name;
      if (!message) throw invalidArgument(prefix, "is required");
      const given = toStored(writable, message as ProtoObject, prefix);
      // Answered from inside the transaction: once it commits, nothing is left to fail.
      return mutate(ctx, async (hook) => {
        const id = await insert(hook, given, prefix, internal);
        return answered(hook.transaction, id, options);
      });
    },

    async createWithin(hook, message, field = definition.name) {
      if (!message) throw invalidArgument(field, "is required");
      try {
        return await insert(hook, toStored(writable, message as ProtoObject, field), field);
      } catch (error) {
        throw translateWriteError(error, "write");
      }
    },

    async update(message, updateMask, ctx, internal, options = {}) {
      const prefix = definition.name;
      if (!message) throw invalidArgument(prefix, "is required");
      const object = message as ProtoObject;
      const id = requireId(typeof object["id"] === "string" ? object["id"] : "", `${prefix}.id`);
      const etag = typeof object["etag"] === "string" ? object["etag"] : "";
      const paths = updateMask && updateMask.length > 0 ? updateMask.map(toSnake) : undefined;
      let changing: FieldInfo[];
      if (paths) {
        const unknown = paths.filter((p) => !fields.some((f) => f.name === p));
        if (unknown.length > 0) throw invalidArgument("update_mask", `unknown field ${unknown.join(", ")}`);
        const readOnly = paths.filter((p) => outputOnly.has(p));
        if (readOnly.length > 0) throw invalidArgument("update_mask", `${readOnly.join(", ")} cannot be changed`);
        changing = writable.filter((f) => paths.includes(f.name));
      } else {
        changing = writable.filter((f) => isPresent(f, object));
      }
      const changes = toStored(changing, object, prefix);
      const frozen = Object.keys(changes).filter((name) => immutable.has(name));
      return mutate(ctx, async (hook) => {
        await definition.lockFirst?.(id, hook);
        const existing = await findRow(id, hook.transaction);
        if (etag !== "" && etag !== etagOf(id, Number(existing["revision"]))) {
          throw aborted(`the ${definition.name} was changed by someone else (stale etag); read it again and retry`);
        }
        for (const name of frozen) {
          if (changes[name] !== existing[name]) throw invalidArgument(`${prefix}.${name}`, "cannot be changed after creation");
        }
        const merged: StoredRecord = { ...existing, ...changes };
        const beforePrepare = { ...merged };
        await definition.prepare?.(merged, existing, { ...hook, given: new Set(Object.keys(changes)) });
        checkRequired(merged, prefix);
        await checkReferences(changes, hook.transaction);
        const revision = Number(existing["revision"]);
        // Only what the caller changed, plus what prepare derived from it, is written back.
        const values: StoredRecord = {};
        for (const [key, value] of Object.entries(merged)) {
          if (key in changes || value !== beforePrepare[key]) values[key] = value;
        }
        // Computed columns are written, not audited (a ciphertext, a hash): the caller's change is.
        const computed = internal ? await internal(id, existing, hook) : {};
        const [count] = await model.update(
          { ...values, ...computed, revision: revision + 1, updated_at: hook.now },
          { where: { id, revision }, transaction: hook.transaction },
        );
        if (count !== 1) throw aborted(`the ${definition.name} was changed by someone else; read it again and retry`);
        await writeAuditEvent(hook.transaction, ctx, { resourceType: definition.name, resourceId: id, action: "update", summary: values });
        await definition.afterWrite?.({ ...merged, revision: revision + 1 }, existing, hook);
        return answered(hook.transaction, id, options);
      });
    },

    async delete(id, etag, ctx) {
      const key = requireId(id);
      await mutate(
        ctx,
        async (hook) => {
          await definition.lockFirst?.(key, hook);
          const existing = await findRow(key, hook.transaction);
          if (etag !== "" && etag !== etagOf(key, Number(existing["revision"]))) {
            throw aborted(`the ${definition.name} was changed by someone else (stale etag); read it again and retry`);
          }
          // The delete's own event first, then those of what its hooks rewrite (one transaction:
          // a refused delete leaves none of them).
          await writeAuditEvent(hook.transaction, ctx, { resourceType: definition.name, resourceId: key, action: "delete" });
          await definition.beforeDelete?.(existing, hook);
          await model.destroy({ where: { id: key }, transaction: hook.transaction });
          await definition.afterDelete?.(existing, hook);
        },
        "delete",
      );
    },
  };
}

import { createHash } from "node:crypto";
import { checkpointLine, eventLine, exportHeaderLine, publicKeyPem } from "@msp/audit-chain";
import type { Checkpoint, VerifyProblem, VerifyResult } from "@msp/audit-chain";
import type { Database } from "@msp/db";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { Handlers } from "@msp/grpc-kit";
import type { ResourceStore } from "@msp/resource-kit";
import type { AuditEvent, VerifyAuditChainResponse } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { AuditServiceService, VerifyProblem as WireProblem } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import type { ChainStore } from "./chain-store";
import type { ChainKeys } from "./keys";
import type { Lease } from "./lease";
import { dayMs, pruneBefore } from "./prune";
import type { VerifyWorkers } from "./verify-stored";
import { verifyStoredChain } from "./verify-stored";

export interface AuditServiceDeps {
  db: Database;
  events: ResourceStore<AuditEvent>;
  store: ChainStore;
  keys: ChainKeys;
  lease: Lease;
  /** The checkpoint spacing the drain keeps (a wider gap is a missing checkpoint). */
  checkpointEvery: number;
  /** How a long verify spreads over worker threads. */
  verifyWorkers: VerifyWorkers;
}

const problems: Record<VerifyProblem, WireProblem> = {
  hash_mismatch: WireProblem.VERIFY_PROBLEM_HASH_MISMATCH,
  broken_link: WireProblem.VERIFY_PROBLEM_BROKEN_LINK,
  seq_gap: WireProblem.VERIFY_PROBLEM_SEQ_GAP,
  reordered: WireProblem.VERIFY_PROBLEM_REORDERED,
  bad_signature: WireProblem.VERIFY_PROBLEM_BAD_SIGNATURE,
  checkpoint_mismatch: WireProblem.VERIFY_PROBLEM_CHECKPOINT_MISMATCH,
  missing_checkpoint: WireProblem.VERIFY_PROBLEM_MISSING_CHECKPOINT,
  missing_events: WireProblem.VERIFY_PROBLEM_MISSING_EVENTS,
};

/** The answer of VerifyAuditChain, from the chain verifier's result. */
export function verifyResponseOf(result: VerifyResult): VerifyAuditChainResponse {
  return {
    ok: result.ok,
    checkedEvents: BigInt(result.checkedEvents),
    checkedCheckpoints: BigInt(result.checkedCheckpoints),
    firstSeq: BigInt(result.firstSeq ?? 0),
    lastSeq: BigInt(result.lastSeq ?? 0),
    lastCheckpointSeq: BigInt(result.lastCheckpointSeq ?? 0),
    unanchoredEvents: BigInt(result.unanchoredEvents),
    failure: result.failure
      ? { seq: BigInt(result.failure.seq), problem: problems[result.failure.problem], detail: result.failure.detail }
      : undefined,
  };
}

/** A page token of the seq-ordered reads (checkpoints, export): where the next page starts, and the range's end. */
interface SeqCursor {
  next: number;
  to: number;
}

/** A token is its cursor and a checksum of it: a token altered or cut short is refused, not misread. */
function encodeCursor(cursor: SeqCursor): string {
  const payload = JSON.stringify({ next: cursor.next, to: cursor.to });
  return Buffer.from(`${payload}.${checksumOf(payload)}`).toString("base64url");
}

function checksumOf(payload: string): string {
  return createHash("sha256").update(payload).digest("base64url").slice(0, 12);
}

function decodeCursor(token: string): SeqCursor {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  const dot = text.lastIndexOf(".");
  const payload = text.slice(0, dot);
  if (dot > 0 && checksumOf(payload) === text.slice(dot + 1)) {
    try {
      const value = JSON.parse(payload) as Partial<SeqCursor>;
      if (Number.isSafeInteger(value.next) && Number.isSafeInteger(value.to)) return { next: value.next!, to: value.to! };
    } catch {
      // Reported below.
    }
  }
  throw invalidArgument("page_token", "is not a token this method gave out; start again without it");
}

function seqOf(value: bigint, field: string): number {
  if (value < 0n) throw invalidArgument(field, "must not be negative");
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument(field, "is too large");
  return Number(value);
}

function pageSizeOf(requested: number, fallback: number, max: number, field = "page_size"): number {
  if (requested < 0) throw invalidArgument(field, "must not be negative");
  return requested === 0 ? fallback : Math.min(requested, max);
}

function checkpointMessage(checkpoint: Checkpoint & { publicKeyId: string }) {
  return {
    seq: BigInt(checkpoint.seq),
    hash: checkpoint.hash,
    signedAt: checkpoint.signedAt,
    prevSeq: BigInt(checkpoint.prevSeq),
    signature: checkpoint.signature,
    publicKeyId: checkpoint.publicKeyId,
  };
}

/** AuditService: reading, verifying, exporting and pruning the chain (admins and audit:read keys, by its policy). */
export function auditHandlers(deps: AuditServiceDeps): Handlers<typeof AuditServiceService> {
  const { db, events, store, keys, lease } = deps;
  return {
    listAuditEvents: async (request) => {
      const page = await events.list(request);
      return { auditEvents: page.items, nextPageToken: page.nextPageToken };
    },

    verifyAuditChain: async (request) => {
      const range = { fromSeq: seqOf(request.fromSeq, "from_seq"), toSeq: seqOf(request.toSeq, "to_seq") };
      return verifyResponseOf(await verifyStoredChain(store, keys, range, deps.checkpointEvery, deps.verifyWorkers));
    },

    listAuditCheckpoints: async (request) => {
      const size = pageSizeOf(request.pageSize, 100, 1000);
      const cursor = request.pageToken
        ? decodeCursor(request.pageToken)
        : { next: seqOf(request.fromSeq, "from_seq"), to: Number.MAX_SAFE_INTEGER };
      const rows = await store.checkpoints(cursor.next, cursor.to, size + 1);
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      return {
        checkpoints: page.map(checkpointMessage),
        nextPageToken: rows.length > size && last ? encodeCursor({ next: last.seq + 1, to: cursor.to }) : "",
      };
    },

    getAuditKeys: async () => {
      const anchor = await store.anchor();
      return {
        publicKeyPem: publicKeyPem(keys.publicKey),
        publicKeyId: keys.publicKeyId,
        hmacKeyId: keys.hmacKeyId,
        anchorSeq: BigInt(anchor?.seq ?? 0),
        anchorHash: anchor?.hash ?? "",
      };
    },

    exportAuditChain: async (request) => {
      const size = pageSizeOf(request.pageSize, 5000, 20_000);
      const lines: string[] = [];
      let cursor: SeqCursor;
      if (request.pageToken) {
        cursor = decodeCursor(request.pageToken);
      } else {
        const anchor = await store.anchor();
        const head = await store.head();
        const start = (anchor?.seq ?? 0) + 1;
        const fromSeq = Math.max(seqOf(request.fromSeq, "from_seq"), start);
        const toSeq = request.toSeq > 0n ? Math.min(seqOf(request.toSeq, "to_seq"), head.seq) : head.seq;
        if (fromSeq > toSeq && toSeq > 0 && request.fromSeq > 0n) throw invalidArgument("from_seq", `must not be after to_seq (${toSeq})`);
        // The export starts after a trusted point: the anchor, or the event before from_seq.
        let before = anchor;
        if (fromSeq !== start) {
          const hash = await store.hashAt(fromSeq - 1);
          if (hash === undefined)
            throw failedPrecondition(`event ${fromSeq - 1}, which the export would start after, is missing: verify the chain`);
          before = { seq: fromSeq - 1, hash };
        }
        lines.push(
          exportHeaderLine({
            exportedAt: new Date(),
            fromSeq,
            toSeq,
            anchor: before,
            hmacKeyId: keys.hmacKeyId,
            publicKeyId: keys.publicKeyId,
          }),
        );
        // The anchor's own checkpoint goes along, so that the export's start verifies too.
        if (anchor && fromSeq === start) {
          const [own] = await store.checkpoints(anchor.seq, anchor.seq, 1);
          if (own) lines.push(checkpointLine(own));
        }
        cursor = { next: fromSeq, to: toSeq };
      }
      const chunk = cursor.next <= cursor.to ? await store.eventsAfter(cursor.next - 1, cursor.to, size) : [];
      const last = chunk[chunk.length - 1];
      const lastSeq = last?.seq ?? cursor.to;
      const checkpoints = chunk.length > 0 ? await store.checkpoints(cursor.next, lastSeq, size) : [];
      let c = 0;
      for (const event of chunk) {
        lines.push(eventLine(event));
        while (c < checkpoints.length && checkpoints[c]!.seq <= event.seq) lines.push(checkpointLine(checkpoints[c++]!));
      }
      const more = last !== undefined && chunk.length === size && last.seq < cursor.to;
      return { lines, nextPageToken: more ? encodeCursor({ next: last.seq + 1, to: cursor.to }) : "" };
    },

    pruneAuditEvents: async (request, ctx) => {
      if (request.olderThanDays < 1) throw invalidArgument("older_than_days", "must be at least 1");
      return pruneBefore(db, store, new Date(Date.now() - request.olderThanDays * dayMs), ctx);
    },

    getAuditStatus: async () => {
      const [head, pending, last, holder] = await Promise.all([store.head(), store.pendingCount(), store.lastCheckpoint(), lease.state()]);
      return {
        headSeq: BigInt(head.seq),
        headHash: head.hash,
        outboxPending: BigInt(pending),
        lastCheckpointSeq: BigInt(last?.seq ?? 0),
        lastCheckpointAt: last?.signedAt,
        drainHolder: holder?.holder ?? "",
        drainLeaseUntil: holder?.expiresAt,
      };
    },
  };
}

import { createHash, createHmac } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import type { Transaction } from "sequelize";
import type { Principal } from "@msp/auth";
import { joiningTransactions } from "@msp/db";
import type { ErrorCode, FieldViolation } from "@msp/errors";
import { DomainError, invalidArgument, isDomainError } from "@msp/errors";
import type { Logger } from "@msp/logging";

// Idempotency keys, as payment APIs have them (and the IETF Idempotency-Key header draft): a write
// sent with a key is applied once. Its first run claims the key in the write's own transaction, so
// no write commits without its claim and a rolled-back write leaves none; its answer is kept for
// 24 hours, and a retry with the same key and request gets that answer and writes nothing.

/** The metadata a caller sends its key in; the gateway forwards the REST `Idempotency-Key` header as it. */
export const idempotencyKeyMetadata = "idempotency-key";

/** How long a key and its answer are kept. */
export const idempotencyKeyTtlMs = 24 * 60 * 60 * 1000;

/** The longest key, in characters. */
export const maxIdempotencyKeyLength = 255;

/** Longest answer kept (base64 characters): a larger one is withheld, and a retry told so. */
export const maxKeptAnswerLength = 8 * 1024 * 1024;

/** What is wrong with a key (1 to 255 printable ASCII characters), or undefined when nothing is. */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length === 0) return "must not be empty";
  if (key.length > maxIdempotencyKeyLength) return `must be at most ${maxIdempotencyKeyLength} characters (a UUID is the usual key)`;
  if (!/^[\x20-\x7e]+$/.test(key)) return "must be printable ASCII characters only (a UUID is the usual key)";
  return undefined;
}

/** The key a call carries, if any; INVALID_ARGUMENT naming the rule when it is not one key or not a good one. */
export function idempotencyKeyOf(metadata: Metadata): string | undefined {
  const values = metadata.get(idempotencyKeyMetadata);
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || typeof value !== "string") throw invalidArgument(idempotencyKeyMetadata, "send exactly one key, as text");
  const problem = idempotencyKeyProblem(value);
  if (problem !== undefined) throw invalidArgument(idempotencyKeyMetadata, problem);
  return value;
}

/** The table of a service's keys: work_idempotency_keys for work-service (one table per service, each its own). */
export function idempotencyTableOf(serviceName: string): string {
  return `${serviceName.replace(/-service$/, "").replace(/-/g, "_")}_idempotency_keys`;
}

/** Records a call's answer inside the transaction of its write, so that it commits with the write (CallContext.keepAnswer). */
export type AnswerKeeper = (transaction: Transaction, answer: unknown) => Promise<void>;

/** Where a kept key stands: see the migration 20261209000000-IdempotencyKeys for each state. */
export type KeptState = "pending" | "answered" | "withheld" | "failed" | "lost";

/** A key's row as kept. */
export interface KeptCall {
  fingerprint: string;
  state: KeptState;
  answer: string | null;
  createdAt: Date;
}

/** What becomes of a claimed key once its call has answered. */
export interface KeptOutcome {
  state: Exclude<KeptState, "pending">;
  answer: string | null;
}

/** A claim of a key for one call. */
export interface KeyClaim {
  id: string;
  method: string;
  fingerprint: string;
}

/** A service's kept keys (service-runtime's idempotency-store.ts over its own table). */
export interface IdempotencyStore {
  /** The call kept under `id`, unless there is none or it has expired. */
  find(id: string): Promise<KeptCall | undefined>;
  /** Claims the key in `transaction`, as pending; throws KeyInUse when a call holds it already. */
  claim(transaction: Transaction, claim: KeyClaim): Promise<void>;
  /** Records the outcome of the pending call of `id` (in `transaction` when given). */
  settle(id: string, outcome: KeptOutcome, transaction?: Transaction): Promise<void>;
  /** Keeps the claim and outcome of a call that wrote in no transaction; a key claimed meanwhile stays as it is. */
  record(claim: KeyClaim, outcome: KeptOutcome): Promise<void>;
}

/** The key is held by another call (committed, or committing now). */
export class KeyInUse extends Error {
  override readonly name = "KeyInUse";
}

/** What a service's calls with keys need. */
export interface Idempotency {
  store: IdempotencyStore;
  /** The key of the request fingerprints' HMAC (derived from the platform's secret). */
  fingerprintKey: Buffer;
  logger: Logger;
  /** How long a retry waits for the answer of a call whose write has committed but not yet answered. */
  pendingWaitMs?: number;
  /** A pending key older than this lost its answer (its process ended between the commit and the answer). */
  lostAfterMs?: number;
}

/** One call with a key. */
export interface KeyedCall<R> {
  key: string;
  caller: Principal;
  /** The full RPC name, such as msp.work.v1.BillableTimeService/CreateBillableTime. */
  method: string;
  /** The request as protobuf. */
  request: Buffer;
  /** False for a method whose answer holds a secret shown once (a new API key): it is never kept. */
  keepsAnswer: boolean;
  encode(answer: R): Buffer;
  decode(bytes: Buffer): R;
}

const defaultPendingWaitMs = 2_000;
const defaultLostAfterMs = 60_000;
const pollMs = 50;

/**
 * Answers a call with a key once: a retry (same caller, method and key) with the same request gets
 * the first answer, and one with another request a FAILED_PRECONDITION naming the reuse. `run`
 * does the call, given the keeper that records its answer inside its write's transaction; the key
 * is claimed in the first transaction `run` commits (@msp/db joiningTransactions). Calls sent at
 * the same moment with one key write once: the others wait on the claim and answer as retries.
 */
export async function answerOnce<R>(idem: Idempotency, call: KeyedCall<R>, run: (keepAnswer: AnswerKeeper) => Promise<R>): Promise<R> {
  const claim: KeyClaim = {
    id: keyIdOf(call.caller, call.method, call.key),
    method: call.method,
    fingerprint: fingerprintOf(idem.fingerprintKey, call.method, call.request),
  };
  const earlier = await idem.store.find(claim.id);
  if (earlier !== undefined) return repeat(idem, call, claim, earlier);

  let claimedIn: Transaction | undefined;
  let keptIn: Transaction | undefined;
  let clashed = false;
  const keepAnswer: AnswerKeeper = async (transaction, answer) => {
    await idem.store.settle(claim.id, outcomeOf(call, answer as R), transaction);
    keptIn = transaction;
  };
  const joiner = {
    join: async (transaction: Transaction) => {
      try {
        await idem.store.claim(transaction, claim);
      } catch (error) {
        if (error instanceof KeyInUse) clashed = true;
        throw error;
      }
    },
    committed: (transaction: Transaction) => void (claimedIn = transaction),
  };
  let answer: R;
  try {
    answer = await joiningTransactions(joiner, () => run(keepAnswer));
  } catch (error) {
    // Another call with this key committed first: this one rolled back and answers as its retry.
    if (clashed && claimedIn === undefined) return repeat(idem, call, claim, await idem.store.find(claim.id));
    if (claimedIn !== undefined) await quietly(idem, call, () => idem.store.settle(claim.id, failureOf(error)));
    throw error;
  }
  // The write has committed: the answer is the caller's whatever becomes of its bookkeeping.
  if (claimedIn === undefined) await quietly(idem, call, () => idem.store.record(claim, outcomeOf(call, answer)));
  else if (keptIn !== claimedIn) await quietly(idem, call, () => idem.store.settle(claim.id, outcomeOf(call, answer)));
  return answer;
}

/** The answer of a retry: the first call's, once it has one. */
async function repeat<R>(idem: Idempotency, call: KeyedCall<R>, claim: KeyClaim, found: KeptCall | undefined): Promise<R> {
  let kept = found;
  const deadline = Date.now() + (idem.pendingWaitMs ?? defaultPendingWaitMs);
  while (kept?.state === "pending" && kept.fingerprint === claim.fingerprint && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    kept = await idem.store.find(claim.id);
  }
  const named = `Idempotency-Key ${JSON.stringify(shortened(call.key))}`;
  const method = call.method.slice(call.method.lastIndexOf("/") + 1);
  if (kept === undefined) throw new DomainError("aborted", `a request with ${named} is being made now; retry shortly`);
  if (kept.fingerprint !== claim.fingerprint) {
    throw new DomainError(
      "failed_precondition",
      `${named} was already used for a different ${method} request; send a new key with a new request`,
    );
  }
  switch (kept.state) {
    case "answered":
      return call.decode(Buffer.from(kept.answer ?? "", "base64"));
    case "failed":
      throw errorOf(kept.answer);
    case "withheld":
      throw new DomainError(
        "already_exists",
        `the ${method} request with ${named} was already made; ${kept.answer ?? "its answer is not kept"}`,
      );
    case "lost":
      throw new DomainError(
        "already_exists",
        `the ${method} request with ${named} was already made, but its answer was lost; read the record to see it`,
      );
    case "pending":
      if (Date.now() - kept.createdAt.getTime() > (idem.lostAfterMs ?? defaultLostAfterMs)) {
        throw new DomainError(
          "already_exists",
          `the ${method} request with ${named} was already made, but its answer was lost; read the record to see it`,
        );
      }
      throw new DomainError("aborted", `the ${method} request with ${named} is still being answered; retry shortly`);
  }
}

/** The id a key is kept under: SHA-256 of the caller, the method and the key (each caller's keys are its own). */
export function keyIdOf(caller: Principal, method: string, key: string): string {
  return createHash("sha256")
    .update([caller.kind, caller.subject, caller.service ?? "", method, key].join("\0"))
    .digest("hex");
}

/** The request's fingerprint: an HMAC, so that a request holding a password cannot be guessed back from it. */
export function fingerprintOf(fingerprintKey: Buffer, method: string, request: Buffer): string {
  return createHmac("sha256", fingerprintKey).update(method).update("\0").update(request).digest("hex");
}

function outcomeOf<R>(call: KeyedCall<R>, answer: R): KeptOutcome {
  if (!call.keepsAnswer) return { state: "withheld", answer: "its answer held a secret that is shown only once" };
  const encoded = call.encode(answer).toString("base64");
  if (encoded.length > maxKeptAnswerLength) return { state: "withheld", answer: "its answer was too large to keep" };
  return { state: "answered", answer: encoded };
}

/**
 * The outcome of a call that failed after its write committed: a refusal it decided (a denial it
 * logged first, say) is repeated as it was; anything else (the database gone, a bug) was not an
 * answer, and a retry is told the request was made.
 */
function failureOf(error: unknown): KeptOutcome {
  if (!isDomainError(error) || error.code === "internal" || error.code === "unavailable") return { state: "lost", answer: null };
  return { state: "failed", answer: JSON.stringify({ code: error.code, message: error.message, violations: error.violations }) };
}

function errorOf(kept: string | null): DomainError {
  const error = JSON.parse(kept ?? "{}") as { code?: ErrorCode; message?: string; violations?: FieldViolation[] };
  return new DomainError(error.code ?? "internal", error.message ?? "internal error", error.violations ?? []);
}

/** Bookkeeping after the write committed: a failure is logged, never the caller's answer. */
async function quietly<R>(idem: Idempotency, call: KeyedCall<R>, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    idem.logger.warn({ err: error, method: call.method }, "could not keep the answer of a call with an idempotency key");
  }
}

function shortened(key: string): string {
  return key.length > 64 ? `${key.slice(0, 61)}...` : key;
}

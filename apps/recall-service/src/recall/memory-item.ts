import { DomainError, invalidArgument, notFound } from "@msp/errors";
import type { CallContext } from "@msp/grpc-kit";
import type { CallerContext } from "@msp/service-client";
import type { GetMemoryItemRequest, MarkUsefulRequest, MemoryItem } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { withModelSummary } from "../model-summary/item-text";
import { readModelSummary } from "../model-summary/summary-repository";
import { itemsWithShortId, recordUseful } from "./bookkeeping";
import type { Candidate, RecalledKind, WorkRecordKind } from "./candidate";
import { isWorkRecordKind } from "./candidate";
import { candidatesById } from "./candidates";
import { fullText } from "./format";
import type { RecallEngine } from "./recall";
import { isShortId, normalizeShortId, shortIdOf } from "./short-id";

/**
 * The item a short id names. Short ids are registered when a recall shows them; a miss right
 * after a recall waits for that write once. When two items share a short id (a 40-bit hash can
 * collide), the one recalled last wins: that is the one the caller just saw. Work items and
 * problem solutions are read from the work service, as the caller.
 */
export async function resolveShortId(engine: RecallEngine, given: string, caller?: CallerContext): Promise<Candidate> {
  const shortId = normalizeShortId(given);
  if (!isShortId(shortId)) throw invalidArgument("short_id", "must be a short id of 8 characters a-z and 2-7, as recall shows it");
  let registered = await itemsWithShortId(engine.read, shortId);
  if (registered.length === 0) {
    await engine.ledger.flush();
    registered = await itemsWithShortId(engine.read, shortId);
  }
  // The registry is only a hint: the short id must still be the hash of the item found.
  const found = [...(await candidatesById(engine.read, registered)), ...(await workRecordsById(engine, registered, caller))];
  const candidates = found.filter((c) => shortIdOf(c.kind, c.id) === shortId);
  const recalledAt = (c: Candidate) => c.lastRecalledAt?.getTime() ?? 0;
  const [latest] = candidates.sort((a, b) => recalledAt(b) - recalledAt(a) || b.time.getTime() - a.time.getTime());
  if (!latest) throw notFound("memory item", shortId);
  return latest;
}

/**
 * The registered work records, asked of the work service; none without it or a caller. When it
 * cannot answer, the stored items found stand alone; with none of those, the failure is the answer.
 */
async function workRecordsById(
  engine: RecallEngine,
  registered: readonly { kind: RecalledKind; id: string }[],
  caller: CallerContext | undefined,
): Promise<Candidate[]> {
  const wanted = registered.filter((item): item is { kind: WorkRecordKind; id: string } => isWorkRecordKind(item.kind));
  const work = engine.work;
  if (wanted.length === 0 || !work || caller?.auth === undefined) return [];
  const found = await Promise.allSettled(wanted.map((item) => work.item(caller, item.kind, item.id)));
  const failure = found.find((result) => result.status === "rejected");
  if (failure && wanted.length === registered.length) throw failure.reason;
  return found.flatMap((result) => (result.status === "fulfilled" && result.value ? [result.value] : []));
}

/** The full item for `msp recall --id`. */
export function memoryItemOf(candidate: Candidate): MemoryItem {
  const shortId = shortIdOf(candidate.kind, candidate.id);
  return {
    shortId,
    kind: candidate.kind,
    id: candidate.id,
    title: candidate.title,
    text: fullText(candidate, shortId),
    time: candidate.time,
    machineId: candidate.machineId ?? "",
    machineName: candidate.machineName ?? "",
    projectId: candidate.projectId ?? "",
    clientId: candidate.clientId ?? "",
    tags: [...candidate.tags],
  };
}

export async function getMemoryItem(engine: RecallEngine, request: GetMemoryItemRequest, caller?: CallerContext): Promise<MemoryItem> {
  const candidate = await resolveShortId(engine, request.shortId, caller);
  const item = memoryItemOf(candidate);
  // A session context shows the summary a model wrote of it too, when one was attached.
  if (candidate.kind === "context") item.text = withModelSummary(item.text, await readModelSummary(engine.read, candidate.id));
  return item;
}

/**
 * Counts a useful mark (it raises the item's future score a little) and returns the item. Project
 * states and the work service's records have no count: they are returned unchanged.
 */
export async function markUseful(engine: RecallEngine, request: MarkUsefulRequest, ctx: CallContext): Promise<MemoryItem> {
  const item = await resolveShortId(engine, request.shortId, ctx);
  const counted = await recordUseful(engine.db, item, {
    service: ctx.service,
    method: ctx.method,
    principal: ctx.principal,
    sourceIp: ctx.sourceIp,
  });
  if (counted) item.usefulCount += 1;
  else if (item.kind !== "project_state" && !isWorkRecordKind(item.kind))
    throw new DomainError("not_found", `memory item ${request.shortId} was deleted`);
  return memoryItemOf(item);
}

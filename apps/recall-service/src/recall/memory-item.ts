import { DomainError, invalidArgument, notFound } from "@msp/errors";
import type { CallContext } from "@msp/grpc-kit";
import type { GetMemoryItemRequest, MarkUsefulRequest, MemoryItem } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { itemsWithShortId, recordUseful } from "./bookkeeping";
import type { Candidate } from "./candidate";
import { candidatesById } from "./candidates";
import { fullText } from "./format";
import type { RecallEngine } from "./recall";
import { isShortId, normalizeShortId, shortIdOf } from "./short-id";

/**
 * The item a short id names. Short ids are registered when a recall shows them; a miss right
 * after a recall waits for that write once. When two items share a short id (a 40-bit hash can
 * collide), the one recalled last wins: that is the one the caller just saw.
 */
export async function resolveShortId(engine: RecallEngine, given: string): Promise<Candidate> {
  const shortId = normalizeShortId(given);
  if (!isShortId(shortId)) throw invalidArgument("short_id", "must be a short id of 8 characters a-z and 2-7, as recall shows it");
  let registered = await itemsWithShortId(engine.read, shortId);
  if (registered.length === 0) {
    await engine.ledger.flush();
    registered = await itemsWithShortId(engine.read, shortId);
  }
  // The registry is only a hint: the short id must still be the hash of the item found.
  const candidates = (await candidatesById(engine.read, registered)).filter((c) => shortIdOf(c.kind, c.id) === shortId);
  const recalledAt = (c: Candidate) => c.lastRecalledAt?.getTime() ?? 0;
  const [latest] = candidates.sort((a, b) => recalledAt(b) - recalledAt(a) || b.time.getTime() - a.time.getTime());
  if (!latest) throw notFound("memory item", shortId);
  return latest;
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

export async function getMemoryItem(engine: RecallEngine, request: GetMemoryItemRequest): Promise<MemoryItem> {
  return memoryItemOf(await resolveShortId(engine, request.shortId));
}

/** Counts a useful mark (it raises the item's future score a little) and returns the item. */
export async function markUseful(engine: RecallEngine, request: MarkUsefulRequest, ctx: CallContext): Promise<MemoryItem> {
  const item = await resolveShortId(engine, request.shortId);
  const counted = await recordUseful(engine.db, item, {
    service: ctx.service,
    method: ctx.method,
    principal: ctx.principal,
    sourceIp: ctx.sourceIp,
  });
  if (counted) item.usefulCount += 1;
  else if (item.kind !== "project_state") throw new DomainError("not_found", `memory item ${request.shortId} was deleted`);
  return memoryItemOf(item);
}

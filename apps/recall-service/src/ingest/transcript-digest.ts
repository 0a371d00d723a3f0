import { invalidArgument } from "@msp/errors";
import type { RedactionContext } from "@msp/redaction";
import { redactText } from "@msp/redaction";
import { compressTranscript, countTokens, TranscriptParser } from "@msp/transcript";
import { redactDeep } from "../redact-stored";
import { RedactionSightings } from "./credential-references";
import type { IngestPlan } from "./ingest-plan";
import { planFromSession, withKeys } from "./session-plan";

/** What reading a transcript yielded: the plan of what to store and the figures of the reading. */
export interface TranscriptDigest {
  plan: IngestPlan;
  lines: number;
  records: number;
  malformedLines: number;
  /** Secrets replaced, by the compressor's redaction and the second pass over every stored text. */
  redactions: number;
  problems: number;
  /** The hosts and accounts seen around the secrets redacted (by the machine or here): what the vault is asked about. */
  redactionContexts: RedactionContext[];
}

/**
 * Parses a transcript (given whole or in the parts of an upload, in order), compresses it with
 * every text redacted on the way in, then redacts every text of the plan once more before
 * anything is stored: the memory never holds a plaintext secret, even one the compressor
 * assembled from pieces. Every redacted text is also read for the hosts and accounts around its
 * markers. CPU only, no I/O: runs before the transaction opens.
 */
export function digestTranscript(parts: readonly string[], claudeSessionId: string): TranscriptDigest {
  const parser = new TranscriptParser();
  for (const part of parts) parser.push(part);
  const { events, stats } = parser.end();
  if (stats.records === 0) {
    throw invalidArgument("transcript", `holds no transcript record (${stats.lines} lines, ${stats.malformed} not JSON records)`);
  }
  let redactions = 0;
  const sightings = new RedactionSightings();
  const redact = (text: string): string => {
    const result = redactText(text);
    redactions += result.total;
    sightings.note(result.text);
    return result.text;
  };
  const session = compressTranscript(events, { redact });
  const again = redactDeep(planFromSession(session, claudeSessionId));
  redactions += again.redactions;
  let plan = withKeys(again.value);
  if (again.redactions > 0) plan = { ...plan, context: { ...plan.context, summaryTokens: countTokens(plan.context.denseSummary) } };
  return {
    plan,
    lines: stats.lines,
    records: stats.records,
    malformedLines: stats.malformed,
    redactions,
    problems: session.problems.length,
    redactionContexts: sightings.list(),
  };
}

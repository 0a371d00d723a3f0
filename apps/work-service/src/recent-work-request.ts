import type { FieldViolation } from "@msp/errors";
import { invalidArguments } from "@msp/errors";
import { isUuid } from "@msp/db";
import type { FindRecentWorkRequest } from "@msp/proto/src/gen/ts/msp/work/v1/session";

/** Records of each kind a FindRecentWork answers when the caller does not say, and the most it may ask for. */
export const defaultRecentWorkPageSize = 20;
export const maxRecentWorkPageSize = 100;
/** Terms a FindRecentWork takes at most, and how long each may be. */
export const maxRecentWorkTerms = 16;
export const minTermChars = 3;
export const maxTermChars = 100;

/** A FindRecentWork request checked: ids lower-case, terms trimmed, the page size settled. */
export interface RecentWorkPlan {
  projectId: string | null;
  clientId: string | null;
  terms: string[];
  pageSize: number;
}

/** Checks a FindRecentWork request; every broken rule is reported at once, naming its field. */
export function parseRecentWorkRequest(request: FindRecentWorkRequest): RecentWorkPlan {
  const violations: FieldViolation[] = [];
  const refuse = (field: string, description: string) => violations.push({ field, description });
  const id = (value: string, field: string): string | null => {
    const trimmed = value.trim();
    if (trimmed === "") return null;
    if (isUuid(trimmed)) return trimmed.toLowerCase();
    refuse(field, "must be a UUID");
    return null;
  };
  const projectId = id(request.projectId, "project_id");
  const clientId = id(request.clientId, "client_id");
  if (request.projectId.trim() === "" && request.clientId.trim() === "") refuse("project_id", "is required when client_id is not given");
  if (request.terms.length > maxRecentWorkTerms) refuse("terms", `must list at most ${maxRecentWorkTerms} words`);
  const terms: string[] = [];
  request.terms.slice(0, maxRecentWorkTerms).forEach((term, i) => {
    const trimmed = term.trim();
    if (trimmed.length < minTermChars || trimmed.length > maxTermChars)
      refuse(`terms[${i}]`, `must be ${minTermChars} to ${maxTermChars} characters`);
    else if (!terms.includes(trimmed.toLowerCase())) terms.push(trimmed.toLowerCase());
  });
  if (request.pageSize < 0 || request.pageSize > maxRecentWorkPageSize)
    refuse("page_size", `must be between 0 and ${maxRecentWorkPageSize} (0: default ${defaultRecentWorkPageSize})`);
  if (violations.length > 0) throw invalidArguments(violations);
  return { projectId, clientId, terms, pageSize: request.pageSize || defaultRecentWorkPageSize };
}

/** The escape character of likePattern's patterns: `LIKE ? ESCAPE '!'` reads the same on both dialects. */
export const likeEscape = "!";

/** `%term%` for LIKE, with the term's own `%`, `_` and `!` matching themselves. */
export function likePattern(term: string): string {
  return `%${term.replace(/[!%_]/g, (c) => `${likeEscape}${c}`)}%`;
}

import type { ProjectCatalog } from "../local/project-catalog";
import type { RecalledItem } from "../platform/platform-types";

const maxTerms = 1_000;
/** The client's host names take at most this many places of the list, leaving room for clients and projects. */
const maxHostTerms = 600;

// Host names (srv-dc01, web1.acme.local), IPv4 addresses, and names with a digit and a dash or
// dot, as recalled lines mention them: what a technician types when asking about a system.
const hostLike = /\b(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z][a-z0-9-]*\d[a-z0-9-]*(?:\.[a-z0-9-]+)*|[a-z][a-z0-9-]*(?:\.[a-z0-9-]+){2,})\b/gi;

/**
 * The names UserPromptSubmit listens for, cached by SessionStart: the shop's clients and
 * projects, the hosts and systems the recalled memory mentions, and the names the folder's
 * client's hosts go by (host names, short names, IP addresses, aliases, from the infra service).
 */
export function knownTermsOf(
  catalog: ProjectCatalog | undefined,
  items: readonly RecalledItem[],
  hostNames: readonly string[] = [],
): string[] {
  const terms = new Set<string>();
  const add = (term: string | undefined) => {
    const clean = term?.trim().toLowerCase();
    if (clean && clean.length >= 3 && !commonWords.has(clean)) terms.add(clean);
  };
  // Most telling first, as the list is capped: what the recalled memory mentions, then the client's hosts, then the
  // shop's clients, then its projects.
  for (const item of items) {
    for (const match of `${item.title ?? ""} ${item.line ?? ""}`.matchAll(hostLike)) {
      const word = match[0];
      if (/\d/.test(word) || word.split(".").length >= 3) add(word);
    }
  }
  for (const name of hostNames.slice(0, maxHostTerms)) add(name);
  for (const client of catalog?.clients ?? []) add(client.name);
  for (const project of catalog?.projects ?? []) {
    add(project.name);
    add(project.slug);
  }
  return [...terms].slice(0, maxTerms);
}

const commonWords = new Set(["the", "and", "for", "with", "app", "web", "api", "test", "main"]);

// What error text looks like when pasted into a prompt: fixed words, error codes, HTTP statuses.
const errorLike =
  /\b(?:error|exception|traceback|failed|failure|fatal|denied|refused|timed? ?out|cannot|can't|unable to|not found|no such file|segfault|panic|errno|exit code \d+|E[A-Z]{3,}|0x[0-9a-f]{6,}|HTTP\/\d(?:\.\d)? [45]\d\d|[45]\d\d (?:bad gateway|not found|internal server error|service unavailable|forbidden|unauthorized|gateway timeout))\b/gi;

const maxQueryParts = 10;

/**
 * The targeted recall's query for a prompt: the known names it mentions (whole words) and the
 * error fragments it pastes; "" when it has neither, and the hook then stays silent without a
 * round trip. Only those parts leave the machine, never the prompt's free text, so the query
 * needs no redaction, and the search looks for what the prompt is about rather than its chatter.
 */
export function targetedQuery(prompt: string, terms: readonly string[]): string {
  const text = prompt.toLowerCase();
  const parts = new Set<string>();
  for (const term of terms) {
    if (mentions(text, term)) parts.add(term);
    if (parts.size >= maxQueryParts) break;
  }
  for (const match of prompt.matchAll(errorLike)) {
    if (parts.size >= maxQueryParts) break;
    parts.add(match[0].toLowerCase());
  }
  return [...parts].join(" ");
}

// What else in a prompt names something memory can know: an IPv4 address, a file name with its
// extension or a path, a quoted KeyError-style name, a host-like word with a digit.
const pointerLike =
  /(?:\b\d{1,3}(?:\.\d{1,3}){3}\b|(?:[\w.-]*\/)*[\w-]{2,}\.(?:[a-z0-9]{1,5}|ya?ml|json|conf|toml)\b|'[A-Za-z_][\w.-]{2,}'|\b[a-z][a-z0-9-]*\d[a-z0-9-]*\b)/gi;

/**
 * The query UserPromptSubmit sends for a prompt: what the prompt points at first (known names,
 * pasted errors, addresses, file names, host-like words: the words the search must not lose to the
 * cut), then the prompt's own words, redacted by `redact` (secrets and <private> text never
 * leave the machine), white space folded, at most `maxChars`. "" when the prompt points at
 * nothing, and the hook stays silent without a round trip (a "thanks, go on" recalls nothing).
 */
export function promptQuery(prompt: string, terms: readonly string[], redact: (text: string) => string, maxChars: number): string {
  // Redacted as a whole first: a secret only shows as one in its context ("password is X"), so
  // nothing is picked out of the prompt before its secrets are gone.
  const words = redact(prompt).replace(/\s+/g, " ").trim();
  const targeted = targetedQuery(words, terms);
  const pointers = pointersOf(words);
  if (targeted === "" && pointers.length === 0) return "";
  const lead = [...new Set([targeted, ...pointers].filter((p) => p !== ""))].join(" ");
  return `${lead} ${words}`.trim().slice(0, maxChars);
}

/** The cheap local check before a recall: does the prompt name something known, paste an error, or point at an address or a file? */
export function pointsAtSomething(prompt: string, terms: readonly string[]): boolean {
  return targetedQuery(prompt, terms) !== "" || pointersOf(prompt).length > 0;
}

function pointersOf(prompt: string): string[] {
  return [...prompt.matchAll(pointerLike)].map((m) => m[0].toLowerCase()).slice(0, maxQueryParts);
}

/** `term` occurs in `text` as a whole word (not inside a longer name). */
function mentions(text: string, term: string): boolean {
  let at = text.indexOf(term);
  while (at !== -1) {
    const before = at === 0 ? " " : text.charAt(at - 1);
    const after = text.charAt(at + term.length) || " ";
    if (!/[a-z0-9_-]/.test(before) && !/[a-z0-9_-]/.test(after)) return true;
    at = text.indexOf(term, at + 1);
  }
  return false;
}

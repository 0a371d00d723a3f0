import type { ProjectCatalog } from "../local/project-catalog";
import type { RecalledItem } from "../platform/platform-types";

const maxTerms = 300;

// Host names (srv-dc01, web1.acme.local), IPv4 addresses, and names with a digit and a dash or
// dot, as recalled lines mention them: what a technician types when asking about a system.
const hostLike = /\b(?:\d{1,3}(?:\.\d{1,3}){3}|[a-z][a-z0-9-]*\d[a-z0-9-]*(?:\.[a-z0-9-]+)*|[a-z][a-z0-9-]*(?:\.[a-z0-9-]+){2,})\b/gi;

/**
 * The names UserPromptSubmit listens for, cached by SessionStart: the shop's clients and
 * projects, and the hosts and systems the recalled memory mentions.
 */
export function knownTermsOf(catalog: ProjectCatalog | undefined, items: readonly RecalledItem[]): string[] {
  const terms = new Set<string>();
  const add = (term: string | undefined) => {
    const clean = term?.trim().toLowerCase();
    if (clean && clean.length >= 3 && !commonWords.has(clean)) terms.add(clean);
  };
  for (const client of catalog?.clients ?? []) add(client.name);
  for (const project of catalog?.projects ?? []) {
    add(project.name);
    add(project.slug);
  }
  for (const item of items) {
    for (const match of `${item.title ?? ""} ${item.line ?? ""}`.matchAll(hostLike)) {
      const word = match[0];
      if (/\d/.test(word) || word.split(".").length >= 3) add(word);
    }
  }
  return [...terms].slice(0, maxTerms);
}

const commonWords = new Set(["the", "and", "for", "with", "app", "web", "api", "test", "main"]);

// What error text looks like when pasted into a prompt.
const errorLike =
  /\b(?:error|exception|traceback|failed|failure|fatal|denied|refused|timed? ?out|cannot|can't|unable to|not found|no such|segfault|panic|errno|exit code \d+|E[A-Z]{3,}\b|0x[0-9a-f]{6,}|HTTP\/\d(?:\.\d)? [45]\d\d|\b[45]\d\d (?:bad|not|internal|service|forbidden|unauthorized))/i;

/** The cheap local check before a targeted recall: does the prompt name something known, or paste an error? */
export function promptNamesSomethingKnown(prompt: string, terms: readonly string[]): boolean {
  if (errorLike.test(prompt)) return true;
  const text = prompt.toLowerCase();
  return terms.some((term) => {
    let at = text.indexOf(term);
    while (at !== -1) {
      const before = at === 0 ? " " : text.charAt(at - 1);
      const after = text.charAt(at + term.length) || " ";
      if (!/[a-z0-9_-]/.test(before) && !/[a-z0-9_-]/.test(after)) return true;
      at = text.indexOf(term, at + 1);
    }
    return false;
  });
}

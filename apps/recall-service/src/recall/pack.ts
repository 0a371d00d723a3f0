import { coveredByDigest, foldForCoverage, maxDigestLineChars, partsCovered } from "./digest";
import {
  footerLine,
  itemLine,
  itemTag,
  itemText,
  maxItemLineChars,
  maxStateLineChars,
  minUsefulLineChars,
  oneLine,
  stateDetailLines,
  trimTo,
} from "./format";
import type { Candidate } from "./candidate";
import type { ScoredCandidate } from "./score";
import { byScore } from "./score";
import { shortIdLength, shortIdOfCandidate } from "./short-id";

/** What a hook injects when the caller names no budget. */
export const defaultBudgetChars = 8_000;
/** Claude Code keeps at most 10,000 characters of injected text: never more, whatever was asked. */
export const maxBudgetChars = 10_000;
/** Credential pointers packed right after the project state; any more compete by score with the rest. */
export const maxLeadingCredentials = 5;

/** Counts a text in some unit (tokens of a tokenizer). */
export type TextMeasure = (text: string) => number;

export interface PackBudget {
  /** Characters (UTF-16 code units); capped at maxBudgetChars. */
  chars: number;
  /** Optionally also a number of tokens, as `count` measures them. */
  tokens?: { limit: number; count: TextMeasure };
}

export interface PackOptions {
  budget: PackBudget;
  /** The first line, naming the project and client. */
  header: string;
  maxItems: number;
  /**
   * Lines that go right after the header, before every item (host lines: what the prompt or folder
   * names), each trimmed to fit; together at most half of the budget, so items still have room.
   */
  leading?: readonly string[];
  /**
   * Sessions shown with their digest (see digest.ts): candidate id to the lines shown under the
   * session's item, packed right after the project states and credential pointers, together at
   * most digestShare of what is left then. Items whose text a digest already shows are left out.
   */
  digests?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The share of the budget left after the project states that the digests may take together. The
 * newest session's summary is the densest text memory holds (its lines chosen by priority, its
 * snippets and decisions already among them): most of the budget goes to it, a little to the
 * other sessions' and the client's items.
 */
export const digestShare = 0.92;

/** The share of the budget (after header and footer) the leading lines may take together. */
export const leadingShare = 0.5;

/** A recalled item as packed: its score, short id and the dense line that represents it. */
export interface PackedItem extends ScoredCandidate {
  shortId: string;
  line: string;
}

/** A packed item as one literal (a spread into a larger literal is slow in V8). */
function packedItem(scored: ScoredCandidate, shortId: string, line: string): PackedItem {
  return { candidate: scored.candidate, score: scored.score, parts: scored.parts, shortId, line };
}

export interface PackedRecall {
  /**
   * The injection text: header, leading lines, item lines, footer (naming the first item; left out
   * without items); "" when nothing fits or nothing is known.
   */
  text: string;
  items: PackedItem[];
  /** The leading lines as they fit, in order: leading[i] is options.leading[i] trimmed (or left out, with those after it). */
  leading: string[];
}

interface Entry {
  item: PackedItem;
  lines: string[];
}

/**
 * Packs ranked items into the budget, after the leading lines (the facts of the hosts asked
 * about, at most half of it): project states and their next actions and blockers first,
 * then the best few credential pointers (short lines that say which vault entry opens a client
 * system, whatever the session is about), then the rest by score, each one dense line trimmed to
 * fit, between a header and a footer. The text never exceeds the character budget (nor the token
 * budget, checked with the real counter).
 */
export function pack(ranked: readonly ScoredCandidate[], options: PackOptions): PackedRecall {
  const charLimit = Math.max(0, Math.min(Math.floor(options.budget.chars), maxBudgetChars));
  const tokens = options.budget.tokens;
  const ordered = packingOrder(ranked, options.digests);
  // The footer names the first item's short id, not known yet: reserve its worst case, one token per character.
  const room = new Room(charLimit, tokens, [options.header, footerLine("")], shortIdLength);
  const leading: string[] = [];
  let leadingChars = Math.floor(room.charsLeft() * leadingShare);
  for (const line of options.leading ?? []) {
    const fitted = room.take(line, [], leadingChars - 1);
    if (fitted === null) break;
    leading.push(fitted);
    leadingChars -= fitted.length + 1;
  }
  const digests = options.digests ?? new Map<string, readonly string[]>();
  // A state's next action, blocker or key file that the digest's first lines (surely shown) say again is not shown twice.
  const digestLead = foldedLead(digests, Math.floor(charLimit / 2));
  const inDigestLead = (text: string) => coveredByDigest(text, digestLead);
  // The projects whose sessions have a digest: an item of another project comes after the rest of their digests.
  const digestProjects = new Set(
    ranked.filter((s) => digests.has(s.candidate.id) && s.candidate.projectId !== null).map((s) => s.candidate.projectId),
  );
  // The sessions the digests show, by title: a state's line for them (and the key files they name) is not said twice.
  const digestTitles = ranked.filter((s) => digests.has(s.candidate.id)).map((s) => oneLine(s.candidate.title));
  const entries: Entry[] = [];
  let digestChars: number | undefined;
  // Everything shown so far, folded: an item that only repeats it (a line a digest shows, a
  // decision a session's line quotes) is left out.
  let shown = "";
  // Digests cut by their share, with the lines they still had to show: budget the other items leave unused goes back to them.
  const cut: { entry: Entry; rest: readonly string[] }[] = [];
  const spendOnCutDigests = () => {
    for (const { entry, rest } of cut.splice(0)) {
      for (const detail of rest) {
        if (room.charsLeft() < minUsefulLineChars) break;
        // A line an item already shows is not shown again.
        if (coveredByDigest(detail, shown)) continue;
        const fitted = room.take(digestLine(detail));
        if (fitted !== null) entry.lines.push(fitted);
      }
    }
  };
  for (const scored of ordered) {
    if (entries.length >= options.maxItems) break;
    const digest = digests.get(scored.candidate.id);
    let entry: Entry | null;
    if (digest) {
      digestChars ??= Math.floor(room.charsLeft() * digestShare);
      const before = room.charsLeft();
      const fitted = fitDigestEntry(scored, digest, room, digestChars);
      entry = fitted?.entry ?? null;
      if (fitted && fitted.rest.length > 0) cut.push(fitted);
      digestChars -= before - room.charsLeft();
    } else {
      const { candidate } = scored;
      if (coveredByDigest(itemText(candidate), shown)) continue;
      if (candidate.kind === "snippet" && partsCovered(candidate.title, snippetBody(candidate), shown)) continue;
      // The rest of this project's newest session says more about the folder than another project's items.
      const { projectId } = scored.candidate;
      if (cut.length > 0 && projectId !== null && digestProjects.size > 0 && !digestProjects.has(projectId)) spendOnCutDigests();
      if (room.exhausted()) break;
      // With a session's digest to follow, the state's line is an item's length: the digest says the session's phase, files and next step again.
      const shownAs = digests.size > 0 ? stateBesideDigests(scored.candidate, digestTitles, digestLead) : scored.candidate;
      entry = fitEntry(scored, room, digests.size > 0 ? maxItemLineChars : maxStateLineChars, inDigestLead, shownAs);
    }
    if (entry) {
      entries.push(entry);
      shown += ` ${foldForCoverage(entry.lines.join(" "))}`;
    }
    if (room.exhausted()) break;
  }
  spendOnCutDigests();
  // Token counts of joined lines may differ slightly from the sum of their parts: measure the
  // real text and give up trailing lines (a state's details before the state itself) until it fits.
  for (;;) {
    const text = render(options.header, leading, entries);
    if (room.accepts(text)) return { text, items: entries.map((e) => e.item), leading };
    const last = entries.at(-1);
    if (last && last.lines.length > 1) last.lines.pop();
    else if (last) entries.pop();
    else leading.pop();
  }
}

/**
 * Project states, then up to maxLeadingCredentials credential pointers, then the digests, then the
 * rest; each part by score, except that in the rest the items of the folder's own project come
 * before those of the client's other projects, whatever their age: a year-old decision of this
 * project says more about it than last month's work on another.
 */
function packingOrder(ranked: readonly ScoredCandidate[], digests: ReadonlyMap<string, readonly string[]> = new Map()): ScoredCandidate[] {
  const states: ScoredCandidate[] = [];
  const pointers: ScoredCandidate[] = [];
  const withDigest: ScoredCandidate[] = [];
  const rest: ScoredCandidate[] = [];
  for (const scored of ranked) {
    if (scored.candidate.kind === "project_state") states.push(scored);
    else if (digests.has(scored.candidate.id)) withDigest.push(scored);
    else if (scored.candidate.credential) pointers.push(scored);
    else rest.push(scored);
  }
  pointers.sort(byScore);
  return [
    ...states.sort(byScore),
    ...pointers.slice(0, maxLeadingCredentials),
    ...withDigest.sort(byScore),
    ...[...pointers.slice(maxLeadingCredentials), ...rest].sort(byScopeThenScore),
  ];
}

/** Narrower scope first (the same project, then the same client, then global), then by score. */
function byScopeThenScore(a: ScoredCandidate, b: ScoredCandidate): number {
  return b.parts.scopeMatch - a.parts.scopeMatch || byScore(a, b);
}

function render(header: string, leading: readonly string[], entries: readonly Entry[]): string {
  const first = entries[0];
  if (!first) return leading.length === 0 ? "" : [header, ...leading].join("\n");
  return [header, ...leading, ...entries.flatMap((e) => e.lines), footerLine(first.item.shortId)].join("\n");
}

/** The item's lines as they fit in what is left of the budget, or null when it does not fit usefully. */
function fitEntry(
  scored: ScoredCandidate,
  room: Room,
  maxStateChars = maxStateLineChars,
  shownElsewhere: (text: string) => boolean = () => false,
  shownAs: Candidate = scored.candidate,
): Entry | null {
  const candidate = shownAs;
  const shortId = shortIdOfCandidate(candidate);
  if (candidate.kind !== "project_state") {
    const line = room.take(itemLine(candidate, shortId, maxItemLineChars));
    return line === null ? null : { item: packedItem(scored, shortId, line), lines: [line] };
  }
  // The state's line leaves room for its next actions and blockers (up to half of what is left).
  const details = stateDetailLines(candidate, shownElsewhere).map((detail) => trimTo(detail, maxStateLineChars));
  const line = room.take(itemLine(candidate, shortId, maxStateChars), details);
  if (line === null) return null;
  const lines = [line];
  for (const detail of details) {
    const fitted = room.take(detail);
    if (fitted !== null) lines.push(fitted);
  }
  return { item: packedItem(scored, shortId, line), lines };
}

/**
 * A session with its digest: the item's line (its title only: the digest says the rest), then the
 * digest's lines indented, each cut to maxDigestLineChars, while they fit in `share` characters;
 * with the digest's lines left to show once the share is spent (`rest`).
 */
function fitDigestEntry(
  scored: ScoredCandidate,
  digest: readonly string[],
  room: Room,
  share: number,
): { entry: Entry; rest: readonly string[] } | null {
  const { candidate } = scored;
  const shortId = shortIdOfCandidate(candidate);
  const line = room.take(trimTo(`- ${itemTag(candidate, shortId)} ${oneLine(candidate.title)}`, maxItemLineChars));
  if (line === null) return null;
  const lines = [line];
  let left = share - line.length - 1;
  let next = 0;
  for (; next < digest.length; next += 1) {
    if (left < minUsefulLineChars) break;
    const fitted = room.take(digestLine(digest[next] ?? ""), [], left - 1);
    if (fitted === null) continue;
    lines.push(fitted);
    left -= fitted.length + 1;
  }
  return { entry: { item: packedItem(scored, shortId, line), lines }, rest: digest.slice(next) };
}

/** A snippet's text after its title: its body, without a repeat of the title. */
function snippetBody(candidate: Candidate): string {
  const text = itemText(candidate);
  const title = oneLine(candidate.title);
  return text.startsWith(title) ? text.slice(title.length) : text;
}

/** "2026-06-14 <title> (<phase>)": a project state's line for one recent session. */
const DATED_LINE = /^\d{4}-\d{2}-\d{2}\s+/;
/** What a project state's body ends with: " | key files: a, b" (see memory-rows.ts). */
const KEY_FILES = /(?:^|\s\|\s)key files: (.*)$/s;

/**
 * A project state as shown beside session digests: its lines for the sessions the digests show
 * (their title, date and phase are the digest's item line and state) and the key files the
 * digests' first lines name left out; the other sessions' lines and files stay.
 */
function stateBesideDigests(candidate: Candidate, digestTitles: readonly string[], digestLead: string): Candidate {
  if (candidate.kind !== "project_state" || digestTitles.length === 0) return candidate;
  const files = KEY_FILES.exec(candidate.body);
  const summary = files ? candidate.body.slice(0, files.index) : candidate.body;
  const sessions = summary
    .split("\n")
    .filter((line) => !digestTitles.some((title) => title !== "" && oneLine(line).replace(DATED_LINE, "").startsWith(title)));
  // Whole words only: "a.sh" is not named by "a shell".
  const paddedLead = ` ${digestLead} `;
  const keyFiles = (files?.[1] ?? "")
    .split(", ")
    .filter((file) => file.trim() !== "" && !paddedLead.includes(` ${foldForCoverage(file)} `));
  const body = [sessions.join("\n").trim(), keyFiles.length > 0 ? `key files: ${keyFiles.join(", ")}` : ""]
    .filter((part) => part !== "")
    .join(" | ");
  return body === candidate.body ? candidate : { ...candidate, body, memo: undefined };
}

/** The digests' first lines as shown, up to `chars` characters in all, folded (see foldForCoverage). */
function foldedLead(digests: ReadonlyMap<string, readonly string[]>, chars: number): string {
  let left = chars;
  const lead: string[] = [];
  for (const lines of digests.values()) {
    for (const line of lines) {
      // As shown: a long line is cut, and what it loses is not shown.
      const shown = digestLine(line);
      left -= shown.length + 1;
      if (left < 0) break;
      lead.push(foldForCoverage(shown));
    }
  }
  return lead.join(" ");
}

/** A digest line as shown under its session's item: indented, one line, cut to maxDigestLineChars. */
function digestLine(detail: string): string {
  return `  ${trimTo(oneLine(detail), maxDigestLineChars)}`;
}

/** What is left of the budget once the header and footer are reserved. */
class Room {
  private chars: number;
  private tokens: number;

  constructor(
    private readonly charLimit: number,
    private readonly tokenBudget: PackBudget["tokens"],
    reserved: readonly string[],
    reservedChars: number,
  ) {
    // Every line but the first is preceded by a newline; each reserved character may be a token of its own.
    this.chars = charLimit - reserved.reduce((sum, line) => sum + line.length, 0) - (reserved.length - 1) - reservedChars;
    this.tokens = tokenBudget
      ? tokenBudget.limit - reserved.reduce((sum, line) => sum + this.count(line) + 1, 0) - reservedChars
      : Infinity;
  }

  /** Characters left for lines (each also takes a newline). */
  charsLeft(): number {
    return this.chars;
  }

  exhausted(): boolean {
    return this.chars <= 1 || this.tokens <= 1;
  }

  accepts(text: string): boolean {
    return text.length <= this.charLimit && (!this.tokenBudget || this.tokenBudget.count(text) <= this.tokenBudget.limit);
  }

  /**
   * The line, trimmed to what is left, counted as used; null when too little of it would fit.
   * Room for the lines `after` it is kept free, up to half of what is left; the line is never
   * longer than `max`.
   */
  take(line: string, after: readonly string[] = [], max = Infinity): string | null {
    const keepChars = Math.min(
      after.reduce((sum, next) => sum + next.length + 1, 0),
      Math.floor(this.chars / 2),
    );
    const keepTokens = Math.min(
      after.reduce((sum, next) => sum + this.count(next) + 1, 0),
      Math.floor(this.tokens / 2),
    );
    let fitted = trimTo(line, Math.min(max, this.chars - 1 - keepChars));
    if (this.tokenBudget) fitted = this.trimToTokens(fitted, this.tokens - 1 - keepTokens);
    if (fitted.length === 0 || (fitted !== line && fitted.length < minUsefulLineChars)) return null;
    this.chars -= fitted.length + 1;
    this.tokens -= this.count(fitted) + 1;
    return fitted;
  }

  private count(text: string): number {
    return this.tokenBudget ? this.tokenBudget.count(text) : 0;
  }

  /** The longest trim of line within `limit` tokens (binary search over its length). */
  private trimToTokens(line: string, limit: number): string {
    if (limit <= 0) return "";
    if (this.count(line) <= limit) return line;
    let low = 0;
    let high = line.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.count(trimTo(line, middle)) <= limit) low = middle;
      else high = middle - 1;
    }
    return trimTo(line, low);
  }
}

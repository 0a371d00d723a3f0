// The lines of a session's summary that answer a question (`msp recall QUESTION`): a summary
// holds hundreds of lines on one subject, so a line is worth what its words say about the
// question: a word the question shares with few lines (a rare one: "ramdisk", "storage") says
// more than one it shares with most ("avd" in a session about AVDs). The line next to a good
// match in the same section often holds the value the match announces (a table's rows, the
// second failure of two), so it follows at half the match's worth.
import { stemOf, termsOf } from "./terms";
import { formsOf, isUnspacedScript } from "./synonyms";

/** A line of a summary as the digest shows it; a heading is a label, never an answer. */
export interface SummaryLine {
  text: string;
  heading: boolean;
}

/** What a neighbour of a matching line is worth, as a share of that line's worth. */
export const neighbourShare = 0.5;

/** One thing the question asks about: the forms a line may name it by. */
interface Concept {
  /** Stems of spaced-script words (a word of the line, or a part of an identifier, with the same stem matches). */
  stems: ReadonlySet<string>;
  /** Unspaced-script words (Chinese, Japanese), matched as parts of the line. */
  parts: readonly string[];
  /** Shapes of text that name it too: an IPv4 address for "ip", a URL for "url"; causes and failures for "why". */
  patterns: readonly RegExp[];
}

const ipv4Address = /\b\d{1,3}(\.\d{1,3}){3}\b/;

/** The shape of a value a question names by its kind ("what is the droplet IP?"): a line holding such a value answers it. */
const valueShapes: ReadonlyMap<string, RegExp> = new Map([
  ["ip", ipv4Address],
  ["ipv4", ipv4Address],
  ["url", /\bhttps?:\/\/\S/],
  ["port", /[\w\]]:\d{2,5}\b|\bport\s*[=:]?\s*\d{2,5}\b/],
]);

/** Causes, reasons and failures: what a "why" question is answered by, whatever its subject words. */
const reasonPattern =
  /\b(because|since|due to|reason|cause[sd]?|so that|fail(s|ed|ure)?|error|blocker|unresolved|cannot|can't|not found|denied)\b|原因|因为|由于|失败|错误/i;

/** The question asks why (or what went wrong): its causes and failures answer it. */
const asksWhy = /\b(why|wrong)\b|为什么|为何/i;

/**
 * The concepts of a question: each of its terms with the stems of its synonyms, and the two
 * words a technician writes apart but an identifier joins ("java heap" in FILTER_JAVAHEAP_VMA,
 * "core dump" in coredump_filter) as a form of both, the shape of the value a kind names (an
 * address for "ip"); a "why" question also asks for reasons.
 */
export function questionConcepts(queryTerms: readonly string[], question = ""): Concept[] {
  const concepts: Concept[] = queryTerms.map((term, i) => {
    const forms = formsOf(term);
    const joined = [queryTerms[i - 1] ? queryTerms[i - 1] + term : "", queryTerms[i + 1] ? term + queryTerms[i + 1] : ""];
    const stems = new Set(forms.filter((form) => !isUnspacedScript(form)));
    for (const word of joined) if (word && !isUnspacedScript(word)) stems.add(stemOf(word));
    const shape = valueShapes.get(term);
    return { stems, parts: forms.filter(isUnspacedScript), patterns: shape ? [shape] : [] };
  });
  if (asksWhy.test(question)) concepts.push({ stems: new Set(), parts: [], patterns: [reasonPattern] });
  return concepts;
}

/** The line's words and the parts of its identifiers ("NOT_ROOTABLE" also as "not", "rootable"; "rootAVD" as "root", "avd"), as stems. */
function lineStems(line: string): Set<string> {
  const parts = line
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/_/g, " ");
  return new Set([...termsOf(line), ...termsOf(parts)].map(stemOf));
}

function names(concept: Concept, stems: ReadonlySet<string>, lowered: string): boolean {
  for (const stem of concept.stems) if (stems.has(stem)) return true;
  return concept.parts.some((part) => lowered.includes(part)) || concept.patterns.some((pattern) => pattern.test(lowered));
}

/**
 * The lines that answer the question, best first (ties in reading order): a line is worth the sum,
 * over the question's concepts it names, of how rare each is among the summary's lines (BM25's
 * inverse document frequency); a line next to a matching one in the same section is worth half of
 * that one, unless it is worth more itself. Headings and lines naming nothing are left out.
 */
export function answerLines(lines: readonly SummaryLine[], queryTerms: readonly string[], question = ""): string[] {
  const concepts = questionConcepts(queryTerms, question);
  const named: number[][] = lines.map((line) => {
    if (line.heading) return [];
    const stems = lineStems(line.text);
    const lowered = line.text.toLowerCase();
    const hits: number[] = [];
    concepts.forEach((concept, c) => {
      if (names(concept, stems, lowered)) hits.push(c);
    });
    return hits;
  });
  const count = lines.filter((line) => !line.heading).length;
  const linesNaming = concepts.map((_, c) => named.filter((hits) => hits.includes(c)).length);
  const weight = linesNaming.map((n) => Math.log(1 + (count - n + 0.5) / (n + 0.5)));
  const worth = named.map((hits) => hits.reduce((sum, c) => sum + (weight[c] ?? 0), 0));
  const shown = [...worth];
  worth.forEach((value, i) => {
    if (value <= 0) return;
    for (const j of [i - 1, i + 1]) {
      const neighbour = lines[j];
      if (neighbour && !neighbour.heading) shown[j] = Math.max(shown[j] ?? 0, value * neighbourShare);
    }
  });
  return shown
    .map((value, index) => ({ value, index }))
    .filter((entry) => entry.value > 0)
    .sort((a, b) => b.value - a.value || a.index - b.index)
    .map((entry) => lines[entry.index]!.text);
}

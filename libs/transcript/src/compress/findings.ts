// Findings: what the assistant established and explained. A research or debugging session ends
// with answers whose value is in their specifics (the file and function, the flag, the threshold,
// the path, the version), and those are what a technician looks up the next day. Every line of
// the assistant's prose is scored by how many such specifics it names; the densest lines are kept,
// the last answer of each turn first, in reading order.
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { dedupeKey, oneLine, sentences, shorten, stripAnsi } from "./text-tools";

export interface Finding {
  text: string;
  /** position in the timeline */
  step: number;
  /** how much the line is worth keeping: its specifics, more for a turn's last answer */
  weight: number;
  /** a remark with one specific or none that states a conclusion: kept only where budget is left */
  minor?: boolean;
}

/** Patterns of specifics: each distinct match counts once. */
const SPECIFICS: readonly RegExp[] = [
  // paths and file names
  /(?:~|\.{0,2})\/[\w.@-]+(?:\/[\w.@*<>-]+)*/g,
  /\b[\w-]+\.(?:c|cc|cpp|h|hpp|ts|tsx|js|mjs|py|go|rs|java|kt|rb|php|cs|md|json|ya?ml|toml|sh|ps1|conf|cfg|ini|xml|gradle|sql|env|lock|service|txt|log|csv|html|css|dockerfile)\b/gi,
  // code identifiers: scoped, called, camelCase, snake_case and CONSTANT_CASE
  /\b\w+(?:::|->)\w+/g,
  /\b[A-Za-z_]\w*\(\)/g,
  /\b[a-z]+[A-Z]\w*/g,
  /\b[A-Z][a-z0-9]+[A-Z]\w*/g,
  /\b[A-Za-z]\w*_\w+/g,
  // numbers that settle something: hex, versions, sizes and durations, ports, line references
  /\b0x[0-9a-f]+\b/gi,
  /\bv?\d+\.\d+(?:\.\d+)+\b/g,
  /\b\d+(?:\.\d+)?\s?(?:[KMGT]i?B|kb|ms|s|sec|min|h|px|%|MHz|GHz|cores?|pages?)\b/g,
  /(?<=[\w\]]):\d{2,5}\b/g,
  // network: IPs, URLs, hosts with a domain
  /\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b/g,
  /\bhttps?:\/\/\S+/g,
  // command-line flags and environment variables
  /(?<=^|[\s(`'"])--?[a-zA-Z][\w-]*(?:=\S+)?/g,
  /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g,
  // settings and observed values: ro.debuggable=0, uid=2000, threshold=3
  /\b[\w.-]+=[\w./:-]+/g,
];

/** Lines that only announce what comes next, ask something, or talk about the conversation. */
const CHATTER =
  /^((let me|i'll|i will|now (let|i)|first,? (let|i)|next,? (let|i)|here('s| is| are)|you('re| are) (right|absolutely)|good question|great|perfect|excellent|sure|ok(ay)?)\b|好的|让我|我来|现在让我|下面)/i;

/** Words of a remark that states what was found or why (the reason, the state, the outcome). */
const CONCLUSION =
  /\b(because|since|so that|means|expects?|requires?|needs?|instead|only|not|no longer|stuck|hangs?|hanging|hung|seems|appears|turns out|fails?|failed|works?|worked|succeeded|missing|empty|wrong|correct)\b|n't\b|因为|所以|卡住|问题|需要|失败|成功|没有|不是/i;

/** A remark about waiting: "The download is still in progress (24%)." */
const PROGRESS = /\b(in progress|ongoing|still (running|downloading|waiting|going)|downloading|waiting for)\b|\d+%/i;

/**
 * A short remark between tool calls that states a conclusion ("The script expects a path
 * relative to ANDROID_HOME."): its sentences without the announcements around them, or
 * undefined when none is left or it states nothing.
 */
export function remarkOf(line: string): string | undefined {
  const kept = sentences(line).filter((sentence) => !CHATTER.test(sentence) && !/[?？]$/.test(sentence));
  const text = kept.join(" ");
  return text.length >= 24 && CONCLUSION.test(text) && !PROGRESS.test(text) ? text : undefined;
}

/** The distinct specifics a line names. */
export function specificsOf(line: string): Set<string> {
  const found = new Set<string>();
  for (const pattern of SPECIFICS) for (const match of line.matchAll(pattern)) found.add(match[0].toLowerCase());
  // A path also matches as file names and identifiers: count what it contains once.
  for (const item of [...found])
    if (item.includes("/")) for (const other of found) if (other !== item && item.includes(other)) found.delete(other);
  return found;
}

/** The lines of an assistant message as they read on their own: markdown removed, table rows joined, short items under their heading. */
export function proseLines(text: string): string[] {
  return markedProseLines(text).map((line) => line.text);
}

/** A prose line and the terms the assistant marked as code in it (`rootable-sdk36-dev`). */
export interface ProseLine {
  text: string;
  code: string[];
}

/** proseLines, each with the inline code spans of its source line. */
export function markedProseLines(text: string): ProseLine[] {
  const lines: ProseLine[] = [];
  let heading = "";
  let inFence = false;
  let diagram = false;
  let table: string[] = [];
  const flushTable = () => {
    lines.push(...tableLines(table, heading));
    table = [];
  };
  for (const raw of stripAnsi(text).split("\n")) {
    const line = raw.trim();
    if (table.length > 0 && !line.startsWith("|")) flushTable();
    if (/^\s*```/.test(raw)) {
      inFence = !inFence;
      diagram = inFence && /^\s*```\s*(mermaid|plantuml|dot|graphviz)\b/i.test(raw);
      continue;
    }
    if (line === "") continue;
    // Commands shown in a fence are kept when short: "echo 0x3f > /proc/<pid>/coredump_filter".
    if (inFence) {
      if (!diagram && isFencedCommand(line)) lines.push({ text: `\`${line}\``, code: [] });
      continue;
    }
    if (/^\|?[\s:|-]+\|?$/.test(line)) continue;
    const headingMatch = /^#{1,6}\s+(.*)$/.exec(line);
    if (headingMatch) {
      heading = clean(headingMatch[1] ?? "");
      continue;
    }
    if (line.startsWith("|")) {
      table.push(line);
      continue;
    }
    const prose = proseLine(line, heading);
    if (prose) lines.push(prose);
  }
  if (table.length > 0) flushTable();
  return lines;
}

/**
 * Whether a line in a fence reads as a command or a setting rather than a line of a code body
 * ("if (...) {") or of a drawing (a box or tree in line-drawing characters):
 * those say nothing on their own and would crowd out the answers around them.
 */
function isFencedCommand(line: string): boolean {
  return line.length <= 120 && !/^[{}[\]();,]+$/.test(line) && !/^(#|\/\/)/.test(line) && !/{$/.test(line) && !/[\u2500-\u257f]/.test(line);
}

/** One line of prose: markdown removed, under its heading when short; undefined when too short to say anything. */
function proseLine(source: string, heading: string): ProseLine | undefined {
  const code = codeSpans(source);
  const line = clean(source.replace(/^(?:[-*•>]|\d+[.)])\s+/, ""));
  if (line.length < 4) return undefined;
  // A short item says little without the heading it sits under.
  return { text: line.length < 70 && heading && !line.startsWith(heading) ? `${heading}: ${line}` : line, code };
}

function codeSpans(line: string): string[] {
  return [...line.matchAll(/`([^`\n]{2,80})`/g)].map((match) => (match[1] ?? "").trim().toLowerCase()).filter(Boolean);
}

/** Longest cell of a label/value table joined into lines. */
const maxSettingCellChars = 120;
/** Longest line of joined label/value rows. */
const maxSettingsLineChars = 240;

/**
 * The rows of a markdown table, each as its cells joined ("FILTER_JAVAHEAP_VMA · 0x080"). A table
 * of label and value ("| Version | v26.3.29 |") is joined into as few lines as fit instead, its
 * header left out ("Stack — Language: C++17; Build: CMake 3.21.1+; Version: v26.3.29"): each row
 * alone names one value at most and would be dropped, while together they settle what the table
 * was written to record.
 */
function tableLines(rows: readonly string[], heading: string): ProseLine[] {
  const cells = rows.map((row) =>
    row
      .split("|")
      .map((cell) => clean(cell))
      .filter(Boolean),
  );
  const isSettings = rows.length >= 3 && cells.every((row) => row.length === 2 && row.every((cell) => cell.length <= maxSettingCellChars));
  if (!isSettings)
    return rows.flatMap((row, index) => {
      const prose = proseLine(cells[index]?.join(" · ") ?? "", heading);
      return prose ? [{ ...prose, code: codeSpans(row) }] : [];
    });
  const prefix = heading ? `${heading} — ` : "";
  const lines: ProseLine[] = [];
  let current: ProseLine | undefined;
  cells.slice(1).forEach(([label, value], index) => {
    const setting = `${label}: ${value}`;
    const code = codeSpans(rows[index + 1] ?? "");
    if (current && current.text.length + 2 + setting.length <= maxSettingsLineChars) {
      current.text += `; ${setting}`;
      current.code.push(...code);
      return;
    }
    current = { text: `${prefix}${setting}`, code };
    lines.push(current);
  });
  return lines;
}

function clean(text: string): string {
  return oneLine(text.replace(/\*\*|__|`/g, "").replace(/[✅✓❌✗🎯🔒🔥🚀💻🎉⚠️🔐🔗🛡️🌐📋📌💡🔍⭐️]/gu, ""));
}

/** Longest finding kept. */
const maxFindingChars = 240;
/** Most findings kept per session (the summary's budget picks among them). */
const maxFindings = 80;
/** Most minor remarks kept per session, besides the findings. */
const maxRemarks = 40;

/**
 * The assistant's densest lines: at least two specifics (three in a fenced command), the last
 * answer of each turn counted double, each line once, the best `maxFindings` in reading order.
 */
export function collectFindings(context: CompressContext): Finding[] {
  const { steps, sidechainOnly } = context.timeline;
  const lastSayOfTurn = new Set<number>();
  let lastSay = -1;
  steps.forEach((step, index) => {
    if (step.kind === "prompt") {
      if (lastSay >= 0) lastSayOfTurn.add(lastSay);
      lastSay = -1;
    } else if (step.kind === "say" && (!step.event.isSidechain || sidechainOnly)) lastSay = index;
  });
  if (lastSay >= 0) lastSayOfTurn.add(lastSay);

  const found: Finding[] = [];
  const seen = new Set<string>();
  steps.forEach((step, index) => {
    if (step.kind !== "say" || (step.event.isSidechain && !sidechainOnly) || step.text.length < 40) return;
    const final = lastSayOfTurn.has(index);
    for (const { text: line, code } of markedProseLines(step.text)) {
      // What the assistant marked as code is a specific too: a name, a value, a command.
      const specifics = new Set([...specificsOf(line), ...code]).size;
      const fenced = line.startsWith("`");
      if (specifics < (fenced ? 3 : 2)) {
        // A remark with fewer specifics still counts when it states a conclusion, or names what the
        // assistant marked as code (a chosen name or value: "AVD name: `rootable-sdk36-dev`").
        const remark = fenced ? undefined : (remarkOf(line) ?? (code.length > 0 && line.length >= 16 ? line : undefined));
        if (remark === undefined) continue;
        const text = shorten(relativize(context.redact(remark), context), maxFindingChars);
        const key = dedupeKey(text);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ text, step: index, weight: (1 + specifics) * (final ? 2 : 1), minor: true });
        continue;
      }
      if (CHATTER.test(line) || /[?？]$/.test(line)) continue;
      const text = shorten(relativize(context.redact(line), context), maxFindingChars);
      const key = dedupeKey(text);
      if (seen.has(key)) continue;
      seen.add(key);
      // Specifics per word matter as much as their number: a dense line beats a long one.
      const words = Math.max(4, text.split(/\s+/).length);
      // A statement of code ("...; break;") counts its identifiers as specifics: it weighs half a command.
      const statement = fenced && /;`$/.test(text) ? 0.5 : 1;
      const weight = Math.min(specifics, 8) * (final ? 2 : 1) * (1 + Math.min(specifics / words, 0.5)) * statement;
      found.push({ text, step: index, weight });
    }
  });
  const byWeight = (a: Finding, b: Finding) => b.weight - a.weight || b.step - a.step;
  const kept = new Set([
    ...found
      .filter((finding) => !finding.minor)
      .sort(byWeight)
      .slice(0, maxFindings),
    ...found
      .filter((finding) => finding.minor)
      .sort(byWeight)
      .slice(0, maxRemarks),
  ]);
  return found.filter((finding) => kept.has(finding));
}

// What a look-around found: a listing (`ls`, `find`, `sdkmanager --list`) is not a result, but the
// names it showed are often what the next session needs ("the AVDs are under ~/.config/.android/avd",
// "the projects folder holds C--Users-Aser-Documents-GitHub-education-system-2"). Each listing in
// one line of the names it printed, kept only where the summary has budget left.
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { displayCommand, isInspection, unpipedCommands } from "./shell-command";
import { shorten, stripAnsi } from "./text-tools";
import { bashCommand } from "./timeline";

/** Commands that print a file's contents: a body, never a listing (unless they only filter a pipe). */
const FILE_READ = /^(cat|head|tail|less|more|bat|xxd|od|strings|sed|awk|grep|egrep|rg|jq)\b/;
/** Listings longer than this are a dump, not a look-around. */
const maxListingLines = 40;
/** Longest listing line kept, and longest entry. */
const maxListingChars = 240;
const maxEntryChars = 80;

/** `ls -l` lines: permissions, links, owner, group, size, date, name. */
const LONG_LISTING = /^[-dlcbps][rwxsStT-]{9}[.+@]?\s/;

/** The names a listing printed, in order, each once: a long listing's names, else its lines. */
export function listedNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of stripAnsi(text).split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (line === "" || /^total \d+$/.test(line)) continue;
    const name = LONG_LISTING.test(line) ? line.split(" ").slice(8).join(" ") || line : line;
    if (name === "." || name === ".." || names.includes(name)) continue;
    names.push(shorten(name, maxEntryChars));
  }
  return names;
}

/** "`ls -la ~/.claude/projects` listed: a, b, c" for each look-around that printed a short listing. */
export function collectListings(context: CompressContext): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const action of context.timeline.actions) {
    const command = bashCommand(action);
    if (command === undefined || action.outcome !== "ok" || !isInspection(command)) continue;
    // `find ... | head -5` is a listing cut short; `cat notes | grep x` reads a file.
    if (unpipedCommands(command).some((part) => FILE_READ.test(part))) continue;
    const text = action.result?.text ?? "";
    const count = text.split("\n").filter((line) => line.trim() !== "").length;
    if (count < 2 || count > maxListingLines) continue;
    const names = listedNames(text);
    if (names.length < 2) continue;
    const shown = shorten(relativize(displayCommand(context.redact(command), 200), context), 100);
    const line = shorten(relativize(context.redact(`\`${shown}\` listed: ${names.join(", ")}`), context), maxListingChars);
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  return lines;
}

// What each file the session wrote is for, in one line instead of its body: "created
// scripts/backup.sh: nightly pg_dump of msp to /srv/backup, keeps 7 days". From what the
// transcript says, without a model: the file's own words (header comment, docstring, title), else
// the assistant's sentence around the write ("Let me create a script that backs up ..."), then
// the file's outline (FROM and EXPOSE, targets, scripts, tables, the names it defines). An edit's
// purpose is the sentence around it, else what the new text sets or defines.
import type { CompressContext } from "./compress-context";
import { showPath } from "./compress-context";
import { configParts, definedNames, fileKind, outline, ownWords } from "./file-outline";
import { fileTouch, isTemporaryPath } from "./files";
import { bashCommand } from "./timeline";
import type { Action } from "./timeline";
import { sentences, shorten } from "./text-tools";

/** A purpose line's purpose part: one dense line. */
export const maxPurposeChars = 120;

/** Files whose content is a secret store: their purpose never comes from their text. */
export const SECRET_FILE =
  /(^|\/)(\.env(\.\w+)?|.*\.(pem|key|p12|pfx|kdbx)|id_(rsa|ed25519|ecdsa)|\.htpasswd|shadow|credentials(\.json)?)$/i;

export interface FilePurpose {
  /** the path as shown (relative to the work or session directory, redacted) */
  path: string;
  created: boolean;
  /** what the file is for, at most maxPurposeChars; "" when the transcript says nothing */
  purpose: string;
  /** the whole text last written (redacted), for Write and here-documents; undefined for edits */
  content?: string;
  /** the assistant's words about that write, cleaned (see saidAbout) */
  said?: string;
}

/** "created scripts/backup.sh: nightly pg_dump ..." (or the bare path when no purpose is known). */
export function purposeLine(file: FilePurpose): string {
  return file.purpose === "" ? file.path : `${file.created ? "created" : "changed"} ${file.path}: ${file.purpose}`;
}

/** Verbs that say the assistant is about to make or change something. */
const INTENT =
  /\b(create|creating|write|writing|add|adding|update|updating|fix|fixing|implement|implementing|set up|setting up|build|building|make|making|rewrite|replace|modify|change|adjust|move|refactor|generate|configure|define|document|save)\b|创建|编写|写入|修改|添加|更新|修复|实现|保存/i;
/** The lead-in before what the assistant is about to do. */
const LEAD_IN =
  /^(?:(?:ok(?:ay)?|great|perfect|good|now|next|first|then|finally|so|alright|excellent|right|also|and)[,!.]?\s+)*(?:(?:let me|let's|i'll|i will|i'm going to|i am going to|i need to|we need to|i should|i can|time to)\s+(?:now\s+|also\s+|first\s+|quickly\s+|then\s+|go ahead and\s+)*)?/i;
/** Steps looked back from a write for the sentence that announced it. */
const maxLookBack = 12;

const baseName = (path: string) => path.split("/").pop() ?? path;

/** The sentence's words about the file: lead-in, the file's own name and "create" dropped for a new file. */
function cleanSentence(sentence: string, path: string, created: boolean): string {
  const name = baseName(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let text = sentence.replace(LEAD_IN, "").replace(/[:.]+$/, "");
  if (created) text = text.replace(/^(?:create|write|add|make|put together|set up)\s+/i, "");
  text = text
    .replace(
      new RegExp(
        `^(?:the |a |an )?(?:(?:new|simple|small)\\s+)?(?:file\\s+)?${name}(?:\\s+(?:file|script))?\\s*(?:that|which|to|,)?\\s*`,
        "i",
      ),
      "",
    )
    .replace(/^(?:a|an|the)\s+/i, "");
  return text.length >= 8 ? text : "";
}

/**
 * The assistant's sentence around a write: in the nearest text before it (within the same turn),
 * the sentence that names the file, else, when no other file was written since, the last
 * sentence saying what it is about to make or change.
 */
export function saidAbout(context: CompressContext, action: Action, path: string, created: boolean): string | undefined {
  const { steps } = context.timeline;
  const name = baseName(path);
  let otherWrites = 0;
  for (let index = action.step - 1; index >= 0 && index >= action.step - maxLookBack; index -= 1) {
    const step = steps[index];
    if (!step || step.kind === "prompt" || step.kind === "compact_summary" || step.kind === "interrupt") return undefined;
    if (step.kind === "action") {
      const touch = fileTouch(step.action);
      if (touch && touch.path !== path) otherWrites += 1;
      continue;
    }
    if (step.kind !== "say") continue;
    const said = sentences(context.redact(step.text)).filter((sentence) => sentence.length <= 400);
    const naming = said.filter((sentence) => name.length >= 3 && sentence.includes(name) && INTENT.test(sentence)).at(-1);
    const chosen = naming ?? (otherWrites === 0 ? said.filter((sentence) => INTENT.test(sentence)).at(-1) : undefined);
    const cleaned = chosen ? cleanSentence(chosen, path, created) : "";
    return cleaned === "" ? undefined : cleaned;
  }
  return undefined;
}

/** The "; "-separated parts of a text that fit in `max` whole (the first one shortened when even it does not). */
function leadingParts(text: string, max: number): string {
  const [first = "", ...rest] = text.split("; ");
  let result = shorten(first, max);
  for (const part of rest) {
    if (result.length + 2 + part.length > max) break;
    result += `; ${part}`;
  }
  return result;
}

/** The purpose of a whole file written: its own words, else the sentence; then its outline. */
export function writtenPurpose(path: string, content: string, said: string | undefined, max = maxPurposeChars): string {
  const readable = !SECRET_FILE.test(path);
  const parts = readable ? outline(path, content) : [];
  const own = readable ? ownWords(path, content) : undefined;
  const words = own ?? said ?? "";
  // Room for the outline: the file's own words take at most two thirds of the line when it has
  // one, the assistant's sentence (less exact) half.
  const share = parts.length === 0 ? 1 : own ? 0.65 : 0.5;
  const lead = words === "" ? [] : [leadingParts(words, Math.floor(max * share))];
  return shorten([...lead, ...parts].join("; "), max);
}

/** The purpose of an edit: the sentence, else what its new text sets (configuration) or defines (code). */
export function editPurpose(path: string, newText: string, said: string | undefined): string {
  if (said) return shorten(said, maxPurposeChars);
  if (SECRET_FILE.test(path) || newText.trim() === "") return "";
  const kind = fileKind(path);
  if (kind === "config" || kind === "compose" || kind === "systemd") {
    const { values } = configParts(newText, 4);
    return values.length > 0 ? shorten(`sets ${values.join(", ")}`, maxPurposeChars) : "";
  }
  const defined = definedNames(kind, newText);
  return defined.length > 0 ? shorten(`defines ${defined.join(", ")}`, maxPurposeChars) : "";
}

/** The whole text a Write or a here-document (`cat > file <<'EOF'`) put in the file. */
function writtenText(action: Action): string | undefined {
  if (action.call.name === "Write") {
    const content = action.call.input["content"];
    return typeof content === "string" ? content : undefined;
  }
  const command = bashCommand(action);
  const here = command === undefined ? null : /<<-?\s*['"]?(\w+)['"]?[^\n]*\n([\s\S]*?)\n\s*\1\s*(?:\n|$)/.exec(command);
  return here?.[2];
}

/** Longest line of a one-line edit shown as "old -> new". */
const maxReplacedLineChars = 80;

/**
 * A one-line edit as "`old` -> `new`" (a renamed field, a changed value): where no sentence says
 * why, the exact change says more than what the new text sets. Undefined for a longer edit.
 */
function lineReplaced(action: Action): string | undefined {
  if (action.call.name !== "Edit") return undefined;
  const before = action.call.input["old_string"];
  const after = action.call.input["new_string"];
  if (typeof before !== "string" || typeof after !== "string") return undefined;
  const [oldLine, newLine] = [before.trim(), after.trim()];
  const short = (line: string) => line !== "" && !line.includes("\n") && line.length <= maxReplacedLineChars;
  return short(oldLine) && short(newLine) && oldLine !== newLine ? `\`${oldLine}\` -> \`${newLine}\`` : undefined;
}

/** The new text of an Edit, MultiEdit or NotebookEdit. */
function editedText(action: Action): string {
  const input = action.call.input;
  const edits = Array.isArray(input["edits"]) ? (input["edits"] as { new_string?: unknown }[]) : [input];
  return edits
    .map((edit) => (edit as Record<string, unknown>)["new_string"] ?? (edit as Record<string, unknown>)["new_source"])
    .filter((text): text is string => typeof text === "string")
    .join("\n");
}

/**
 * Every file the session created or changed (by file tools and here-documents, /tmp left out),
 * keyed by the path as shown, with its purpose: a file created keeps the purpose of its latest
 * whole text; a file only edited keeps the purpose of its latest edit that had one.
 */
export function collectFilePurposes(context: CompressContext): Map<string, FilePurpose> {
  const files = new Map<string, FilePurpose>();
  for (const action of context.timeline.actions) {
    const touch = fileTouch(action);
    if (!touch || isTemporaryPath(touch.path)) continue;
    const path = context.redact(showPath(touch.path, context));
    const known = files.get(path);
    const created = known?.created === true || touch.created;
    const content = writtenText(action);
    const said = saidAbout(context, action, touch.path, created);
    if (content !== undefined && content.trim() !== "") {
      const text = context.redact(content);
      const purpose = writtenPurpose(path, text, said);
      files.set(path, { path, created, purpose: purpose || (known?.purpose ?? ""), content: text, ...(said ? { said } : {}) });
    } else if (known?.content !== undefined) {
      // An edit of a file whose whole text is known: the file's own purpose still says what it is.
      if (!known.purpose && said) known.purpose = shorten(said, maxPurposeChars);
    } else {
      const replaced = SECRET_FILE.test(path) ? undefined : lineReplaced(action);
      const purpose =
        action.call.name === "Bash"
          ? (said ?? "")
          : replaced && !said
            ? shorten(context.redact(replaced), maxPurposeChars)
            : editPurpose(path, context.redact(editedText(action)), said);
      files.set(path, { path, created, purpose: purpose || (known?.purpose ?? "") });
    }
  }
  return files;
}

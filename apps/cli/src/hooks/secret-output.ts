// `msp cred reveal` and `msp cred totp` print a secret (a password, a TOTP code) on stdout. When
// Claude runs them, their output must not leave the machine or stay in the spool: the command
// record keeps the command and its exit status but not its output, and the transcript keeps the
// tool call but not its result. The redactor cannot do this: a random password looks like nothing.

/** A shell command that may print a vault secret. Loose on purpose: a false match only loses an output summary. */
const printsSecretPattern = /\bcred\s+(?:reveal|totp)\b/;

/** What stands where the output was. */
export const withheldOutput = "[output withheld: msp cred prints secrets]";

export function printsSecret(command: string): boolean {
  return printsSecretPattern.test(command);
}

type JsonRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is JsonRecord => typeof value === "object" && value !== null && !Array.isArray(value);

/** The content blocks of a transcript record's message. */
function blocksOf(record: JsonRecord): JsonRecord[] {
  const message = record["message"];
  const content = isRecord(message) ? message["content"] : undefined;
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/**
 * A Claude Code transcript (JSON lines) with the results of tool calls that ran `msp cred reveal`
 * or `msp cred totp` replaced by a placeholder: the tool_result's content and the record's
 * `toolUseResult`. Every other line is returned byte for byte; a transcript that never ran them
 * is returned as it is without being parsed.
 */
export function withholdSecretOutputs(text: string): string {
  if (!printsSecretPattern.test(text)) return text;
  const secretCalls = new Set<string>();
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.includes("tool_use")) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue; // a torn or foreign line: nothing to match
    }
    if (!isRecord(record)) continue;
    let changed = false;
    for (const block of blocksOf(record)) {
      const input = block["input"];
      if (block["type"] === "tool_use" && typeof block["id"] === "string" && isRecord(input)) {
        if (typeof input["command"] === "string" && printsSecret(input["command"])) secretCalls.add(block["id"]);
      } else if (block["type"] === "tool_result" && typeof block["tool_use_id"] === "string" && secretCalls.has(block["tool_use_id"])) {
        block["content"] = withheldOutput;
        changed = true;
      }
    }
    if (!changed) continue;
    const result = record["toolUseResult"];
    if (typeof result === "string") record["toolUseResult"] = withheldOutput;
    else if (isRecord(result))
      record["toolUseResult"] = Object.fromEntries([
        ...Object.entries(result).filter(([, value]) => typeof value === "boolean" || typeof value === "number"),
        ["stdout", withheldOutput],
        ["stderr", ""],
      ]);
    lines[index] = JSON.stringify(record);
  }
  return lines.join("\n");
}

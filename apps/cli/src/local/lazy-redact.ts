/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use: most hooks never redact anything */
import type * as Redaction from "@msp/redaction";

let redaction: typeof Redaction | undefined;
let fewShortTexts = false;

/**
 * Says this process redacts a few short texts before it exits (PostToolUse: a command, its output
 * and their summary). V8 runs a regular expression's first use in its interpreter and compiles it
 * to machine code on the second: for the redactor's 70 patterns that compilation is several
 * milliseconds, the whole of the hook's second redaction, where interpreting a short text takes
 * microseconds. So the patterns stay interpreted for their first 100 uses; V8 still compiles a
 * pattern at once for a text of 1,000 characters or more. (Setting the flag loads node:v8, about
 * 1.5 ms: not worth it for a process that redacts one text.)
 */
export function redactFewShortTexts(): void {
  fewShortTexts = true;
}

/**
 * @msp/redaction's `redact`, loaded on its first call. Its rules take a few milliseconds to load
 * and compile; SessionStart and Stop send nothing that needs them, so they never pay for it.
 */
export function redactLazily(text: string): string {
  if (!redaction) {
    // Before the patterns exist: V8 gives each pattern its count of interpreted uses when it is made.
    if (fewShortTexts) (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--regexp-tier-up-ticks=100");
    redaction = require("@msp/redaction") as typeof Redaction;
  }
  return redaction.redact(text);
}

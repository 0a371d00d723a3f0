/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use: most hooks never redact anything */
import type * as Redaction from "@msp/redaction";

let redaction: typeof Redaction | undefined;

/**
 * @msp/redaction's `redact`, loaded on its first call. Its rules take a few milliseconds to load;
 * SessionStart and Stop send nothing that needs them, so they never pay for it. (PostToolUse once
 * kept the patterns in V8's regexp interpreter with `--regexp-tier-up-ticks`, set through
 * node:v8: since the rules run only on texts holding their keywords, few patterns run twice in a
 * hook, and loading node:v8, which loads the stream modules, cost 2-4 ms against about 0.1 ms saved.)
 */
export function redactLazily(text: string): string {
  redaction ??= require("@msp/redaction") as typeof Redaction;
  return redaction.redact(text);
}

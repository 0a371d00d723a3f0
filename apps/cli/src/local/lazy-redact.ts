/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use: most hooks never redact anything */
import type * as Redaction from "@msp/redaction";

let redaction: typeof Redaction | undefined;

/**
 * @msp/redaction's `redact`, loaded on its first call. Its rules take a few milliseconds to load
 * and compile; SessionStart and Stop send nothing that needs them, so they never pay for it.
 */
export function redactLazily(text: string): string {
  redaction ??= require("@msp/redaction") as typeof Redaction;
  return redaction.redact(text);
}

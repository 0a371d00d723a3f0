// The evaluation uses the real redactor when @msp/redaction is built and importable, so the
// summaries it measures are the ones the recall service would store; identity otherwise.

export interface LoadedRedactor {
  name: string;
  redact: (text: string) => string;
}

export function loadRedactor(): LoadedRedactor {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, resolved at run time
    const module = require("@msp/redaction") as { redact?: unknown };
    if (typeof module.redact === "function") {
      const redact = module.redact as (text: string) => unknown;
      if (typeof redact("probe password=hunter2hunter2") === "string")
        return { name: "@msp/redaction", redact: (text) => redact(text) as string };
    }
  } catch {
    // not built yet: fall through to identity
  }
  return { name: "identity (@msp/redaction not available)", redact: (text) => text };
}

import { z } from "zod";

/** Thrown at start-up when the environment is wrong; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Parses the environment into a typed config once, at start-up. Libraries never read
 * process.env: apps call this and pass the result down.
 */
export function loadConfig<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, env: NodeJS.ProcessEnv): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`));
}

/** A TCP port from the environment, 0 meaning "any free port". */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A log level pino understands. */
export const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

// How the commands that act for a person (`msp cred`, `msp audit`, `msp admin`) sign in: as
// --user (password from MSP_PASSWORD or asked), else with MSP_TOKEN (an access token or API key),
// else with the machine key setup stored, which by default only carries the hooks' scopes. A
// refusal of the gateway becomes one line naming what was wrong and, for the machine key, what
// to use instead.
import { createPlatformClient } from "../platform/platform-client";
import type { PlatformClient } from "../platform/platform-client";
import { ApiError } from "../platform/http-json";
import type { CommonOptions } from "./command-support";
import { CommandError, pathsOf, requireConfig } from "./command-support";
import type { SecretSource } from "./cred-secret";

/** The scope family a command needs (msp.policy.v1 scope_family): it names the scopes in hints. */
export type ScopeFamily = "vault" | "audit";

/** Options of every command that signs in like `msp cred`. */
export interface SignInOptions extends CommonOptions {
  /** Sign in as this user (password from MSP_PASSWORD or asked) instead of using the machine key. */
  user?: string;
}

/** What signing in reads besides the options: the terminal (for the password) and the environment. */
export interface SignInDeps {
  secrets: SecretSource;
  env: NodeJS.ProcessEnv;
}

/** Where the token a command sends came from (for error messages). */
export type TokenSource = "machine key" | "MSP_TOKEN" | "user";

/** A signed-in platform client, where its token came from, and the scope family it is used for. */
export interface SignedIn {
  platform: PlatformClient;
  source: TokenSource;
  family: ScopeFamily;
}

/**
 * The platform client for a command: signed in as --user (password from MSP_PASSWORD or asked),
 * else with MSP_TOKEN (an access token or API key), else with the machine key setup stored,
 * which by default only carries the hooks' scopes.
 */
export async function signInFor(family: ScopeFamily, options: SignInOptions, deps: SignInDeps): Promise<SignedIn> {
  const config = requireConfig(pathsOf(options));
  if (options.user !== undefined) {
    const user = options.user.trim();
    if (user === "") throw new CommandError("--user: give a user name");
    return { platform: createPlatformClient(config.server, await userToken(config.server, user, deps)), source: "user", family };
  }
  const token = deps.env["MSP_TOKEN"]?.trim();
  if (token) return { platform: createPlatformClient(config.server, token), source: "MSP_TOKEN", family };
  return { platform: createPlatformClient(config.server, config.apiKey), source: "machine key", family };
}

/** An access token for --user: the password from MSP_PASSWORD, else asked on the terminal without echo. */
export async function userToken(server: string, user: string, deps: SignInDeps): Promise<string> {
  let password = deps.env["MSP_PASSWORD"];
  if (password === undefined) {
    if (!deps.secrets.stdinIsTTY)
      throw new CommandError(`--user ${user}: no terminal to ask for the password on; set MSP_PASSWORD, or MSP_TOKEN instead of --user`);
    try {
      password = await deps.secrets.prompt(`Password for ${user}: `);
    } catch {
      throw new CommandError("password entry cancelled", "cancelled");
    }
  }
  try {
    return (await createPlatformClient(server).login(user, password)).accessToken;
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500)
      throw new CommandError(`login as ${user} refused: ${error.detail}`, "unauthenticated");
    throw error;
  }
}

/** What to say when the machine key is refused for lack of scopes (or, for admin-only services, of the admin role). */
const machineKeyHints: Record<ScopeFamily, { refusal: RegExp; hint: string }> = {
  vault: {
    refusal: /lacks scope|scopes do not cover/,
    hint: " (the machine key msp setup stored carries only the hooks' scopes: add --user NAME, or set MSP_TOKEN to a token or API key with vault scopes)",
  },
  audit: {
    refusal: /lacks scope|scopes do not cover|only admins/,
    hint:
      " (the machine key msp setup stored carries only the hooks' scopes: add --user NAME (an admin), or set MSP_TOKEN to an admin's" +
      " token or API key with audit scopes: audit:read, and audit:write to prune or back up)",
  },
};

/** A refusal of the gateway (400, 401, 403, 404, 409) as one line naming what was wrong; other errors unchanged. */
export function refusalError(error: unknown, source: TokenSource, family: ScopeFamily): unknown {
  if (!(error instanceof ApiError) || error.status >= 500) return error;
  const detail = error.detail;
  switch (error.status) {
    case 401:
      return new CommandError(
        `the platform refused ${source === "user" ? "the sign-in" : source === "MSP_TOKEN" ? "MSP_TOKEN" : "this machine's key"}: ${detail}`,
        error.code,
      );
    case 403: {
      const { refusal, hint } = machineKeyHints[family];
      return new CommandError(`permission denied: ${detail}${source === "machine key" && refusal.test(detail) ? hint : ""}`, error.code);
    }
    case 404:
      return new CommandError(detail, "not_found");
    default:
      return new CommandError(`refused: ${detail}`, error.code);
  }
}

/** Runs one call; a gateway refusal becomes a CommandError (no stack trace, nothing logged). */
export async function attempt<T>(signedIn: SignedIn, call: (platform: PlatformClient) => Promise<T>): Promise<T> {
  try {
    return await call(signedIn.platform);
  } catch (error) {
    throw refusalError(error, signedIn.source, signedIn.family);
  }
}

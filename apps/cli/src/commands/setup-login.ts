import { ApiError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import { CommandError } from "./command-support";
import { promptLine, promptPassword, readAllStdin } from "./password-prompt";

/** How setup signed in: a user's access token (can create a machine key), or an API key used as the machine key. */
export type SetupIdentity =
  | { kind: "user"; accessToken: string; userName: string }
  | { kind: "api_key"; apiKey: string; userName?: string };

export interface LoginOptions {
  user?: string;
  token?: string;
  passwordStdin?: boolean;
}

/** The scopes the hooks cannot work without: an API key given to setup must hold them. */
export const requiredMachineKeyScopes = ["work:write", "context:write"] as const;
/**
 * The scopes a machine key is made with, and nothing more: the required ones, and infra:read so
 * SessionStart can learn the names of the client's hosts (a key without it works, minus that).
 */
export const machineKeyScopes = [...requiredMachineKeyScopes, "infra:read"] as const;

/**
 * Signs in for setup: --token takes an API key (msp_...) or an access token; otherwise the user
 * name (--user, or asked on a terminal) and the password (MSP_PASSWORD, --password-stdin, or
 * asked on the terminal without echo).
 */
export async function signIn(platform: PlatformClient, options: LoginOptions, env: NodeJS.ProcessEnv): Promise<SetupIdentity> {
  if (options.token) return tokenIdentity(platform, options.token.trim());
  const userName = options.user ?? (process.stdin.isTTY ? await promptLine("User name: ") : "");
  if (!userName) throw new CommandError("--user NAME or --token KEY is required (no terminal to ask on)");
  let password = env["MSP_PASSWORD"];
  if (password === undefined && options.passwordStdin) password = await readAllStdin();
  if (password === undefined) {
    if (!process.stdin.isTTY)
      throw new CommandError("no terminal to ask for the password: set MSP_PASSWORD, pass --password-stdin, or use --token");
    password = await promptPassword(`Password for ${userName}: `);
  }
  try {
    const answer = await platform.login(userName, password);
    return { kind: "user", accessToken: answer.accessToken, userName };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 400 || error.status === 403))
      throw new CommandError(`login as ${userName} refused: ${error.message}`, "unauthenticated");
    throw error;
  }
}

async function tokenIdentity(platform: PlatformClient, token: string): Promise<SetupIdentity> {
  if (!token.startsWith("msp_")) return { kind: "user", accessToken: token, userName: "" };
  let answer;
  try {
    answer = await platform.exchangeApiKey(token);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500)
      throw new CommandError(`the API key was refused: ${error.message}`, "unauthenticated");
    throw error;
  }
  const scopes = answer.scopes ?? [];
  const missing = requiredMachineKeyScopes.filter((scope) => scopes.length > 0 && !scopes.includes(scope));
  if (missing.length > 0) throw new CommandError(`the API key lacks the scopes the hooks need: ${missing.join(", ")}`, "permission_denied");
  return { kind: "api_key", apiKey: token };
}

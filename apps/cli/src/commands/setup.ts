import { rmSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { CliConfig } from "../local/cli-config";
import { readConfig, writeConfig } from "../local/cli-config";
import { memoryWithSummaries, summarizerLines, summarizerSettingsOf } from "./setup-summarizer";
import { machineProfile } from "../local/machine-profile";
import type { MspPaths } from "../local/msp-home";
import { createPlatformClient } from "../platform/platform-client";
import { ApiError } from "../platform/http-json";
import { hookBaseCommand } from "../settings/hook-entries";
import { claudeSettingsPath } from "../settings/settings-file";
import { pendingEvents } from "../spool/spool-flush";
import type { CommonOptions } from "./command-support";
import { CommandError, emit, normalizeServerUrl, pathsOf } from "./command-support";
import { clientNameOf, describeScope, folderScope, recallForScope } from "./folder-recall";
import { readCatalog } from "../local/project-catalog";
import { mcpServerEntry, registerMcpServer, unregisterMcpServer } from "../mcp/mcp-registration";
import { installClaudeHooks, uninstallClaudeHooks, wantedHooks } from "./setup-hooks";
import { localDataLines, terminalAsk, uninstallLocalData } from "./setup-uninstall";
import type { LoginOptions } from "./setup-login";
import { machineKeyScopes, signIn } from "./setup-login";
import { registerMachine } from "./setup-machine";

export interface SetupOptions extends CommonOptions, LoginOptions {
  server?: string;
  name?: string;
  uninstall?: boolean;
  /** With --uninstall: remove the spool and the logs too, without asking (--yes says the same). */
  purge?: boolean;
  yes?: boolean;
  /** false with --no-hooks: leave ~/.claude/settings.json alone. */
  hooks?: boolean;
  /** claude: model summaries by the technician's Claude Code; off: none (see summarizerSettingsOf). */
  summarizer?: string;
  summarizerModel?: string;
  summarizerDailyTokens?: string;
  summarizerCommand?: string;
}

/** `msp setup`: sign in, register the machine, make its key, store the config, install the hooks, show the recall. */
export async function setupCommand(options: SetupOptions): Promise<void> {
  const paths = pathsOf(options);
  if (options.uninstall) return uninstall(options, paths);
  if (!options.server) throw new CommandError("--server URL is required (the platform's gateway, such as http://127.0.0.1:8080)");
  if (options.user && options.token) throw new CommandError("give --user or --token, not both");
  const server = normalizeServerUrl(options.server);
  // Checked before signing in: a mistyped option costs no machine key.
  const previous = readConfig(paths.config);
  const summarizer = summarizerSettingsOf(options, previous?.summarizer);
  const anonymous = createPlatformClient(server);
  const identity = await signIn(anonymous, options, process.env);
  const admin = createPlatformClient(server, identity.kind === "user" ? identity.accessToken : identity.apiKey);

  const profile = machineProfile(process.env);
  const { machine, created } = await registerMachine(admin, profile, options.name);
  let apiKey: string;
  let apiKeyId: string | undefined;
  if (identity.kind === "api_key") apiKey = identity.apiKey;
  else {
    const made = await admin.createApiKey({
      name: machineKeyName(options.name, profile.hostname),
      scopes: [...machineKeyScopes],
      machineId: machine.id,
    });
    apiKey = made.key;
    apiKeyId = made.apiKey.id;
  }
  const hooks = createPlatformClient(server, apiKey);
  await hooks.getMachine(machine.id); // the key works before anything relies on it

  const launcher = resolve(process.argv[1] ?? join(__dirname, "..", "..", "bin", "msp.js"));
  const homeFlag = options.home || process.env["MSP_HOME"] ? paths.home : undefined;
  const config: CliConfig = {
    server,
    machineId: machine.id,
    machineName: machine.friendlyName || machine.hostname || profile.hostname,
    fingerprint: profile.fingerprint,
    apiKey,
    ...(apiKeyId ? { apiKeyId } : {}),
    ...(identity.userName ? { userName: identity.userName } : {}),
    hookCommand: hookBaseCommand(process.execPath, launcher),
    setupAt: new Date().toISOString(),
    // What the technician keeps out of memory survives a new setup; so do the model summaries, unless the options change them.
    ...memoryWithSummaries(previous?.memory, previous?.summarizer, summarizer),
    ...(summarizer ? { summarizer } : {}),
  };
  writeConfig(paths.config, config);
  const revoked = await revokeReplacedKey(admin, identity.kind, previous, config);

  const settingsPath = claudeSettingsPath(process.env["HOME"] || homedir());
  const install = options.hooks === false ? undefined : installClaudeHooks(settingsPath, wantedHooks(config.hookCommand!, homeFlag));
  // The memory on demand (`msp mcp`) is registered with the hooks, in Claude Code's user config.
  const mcp = options.hooks === false ? undefined : registerMcpServer(mcpServerEntry(process.execPath, launcher, homeFlag));

  const cwd = process.cwd();
  const scope = await folderScope(paths, hooks, cwd, true);
  const scopeText = describeScope(scope, clientNameOf(readCatalog(paths.cache), scope.clientId));
  let preview: { scope: string; text: string; items: number; error?: string };
  try {
    const answer = await recallForScope(config, hooks, scope);
    preview = { scope: scopeText, text: answer.text ?? "", items: answer.items?.length ?? 0 };
  } catch (error) {
    preview = { scope: scopeText, text: "", items: 0, error: error instanceof Error ? error.message : String(error) };
  }

  emit(
    options,
    {
      server,
      machine: { id: machine.id, name: config.machineName, created },
      apiKeyId,
      revokedKeyId: revoked,
      config: paths.config,
      summarizer: summarizer ?? null,
      settings: install,
      mcp,
      recall: preview,
    },
    [
      `Signed in to ${server}${identity.userName ? ` as ${identity.userName}` : " with an API key"}.`,
      `Machine ${config.machineName} ${created ? "registered" : "already registered; updated"} (${machine.id}).`,
      apiKeyId
        ? `Machine API key created with scopes ${machineKeyScopes.join(", ")}${revoked ? `; the previous key ${revoked} was revoked` : ""}.`
        : "The given API key is used by the hooks.",
      `Config written to ${paths.config} (mode 0600).`,
      ...summarizerLines(summarizer),
      install
        ? `Claude Code hooks ${install.changed ? "installed in" : "already in"} ${install.path}${install.backup ? ` (original backed up to ${install.backup})` : ""}.`
        : "Claude Code settings left alone (--no-hooks).",
      ...(mcp
        ? [
            mcp.conflict
              ? `An MCP server named "msp" that msp did not write is in ${mcp.path}: left alone, so \`msp mcp\` is not registered.`
              : `Memory on demand (\`msp mcp\`) ${mcp.changed ? "registered in" : "already in"} ${mcp.path}.`,
          ]
        : []),
      "",
      `A Claude Code session in ${cwd} (${preview.scope}) would start with:`,
      preview.error
        ? `  (recall failed: ${preview.error})`
        : preview.text
          ? indent(preview.text)
          : "  (nothing remembered here yet; it fills up as you work)",
    ],
  );
}

/** The machine key's name, as the server's key list shows it: the machine's --name, else its host name. */
export function machineKeyName(friendlyName: string | undefined, hostname: string): string {
  const name = friendlyName?.trim();
  return `msp hooks on ${name || hostname}`;
}

/** Revokes the key an earlier setup made, now that a new one is stored (a user token can; a machine key cannot). */
async function revokeReplacedKey(
  admin: ReturnType<typeof createPlatformClient>,
  kind: "user" | "api_key",
  previous: CliConfig | undefined,
  current: CliConfig,
): Promise<string | undefined> {
  if (kind !== "user" || !previous?.apiKeyId || previous.apiKeyId === current.apiKeyId || previous.server !== current.server)
    return undefined;
  try {
    await admin.revokeApiKey(previous.apiKeyId);
    return previous.apiKeyId;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * `msp setup --uninstall`: removes the hooks it added (only those) and this machine's local config;
 * the spool and the logs too after asking, or with --purge (see setup-uninstall.ts).
 */
async function uninstall(options: SetupOptions, paths: MspPaths): Promise<void> {
  const settingsPath = claudeSettingsPath(process.env["HOME"] || homedir());
  const report = uninstallClaudeHooks(settingsPath);
  const mcp = unregisterMcpServer();
  const config = readConfig(paths.config);
  let revoked: string | undefined;
  if (config?.apiKeyId && (options.user || options.token)) {
    const identity = await signIn(createPlatformClient(config.server), options, process.env);
    if (identity.kind === "user") {
      await createPlatformClient(config.server, identity.accessToken).revokeApiKey(config.apiKeyId);
      revoked = config.apiKeyId;
    }
  }
  const pending = pendingEvents(paths.spool).length;
  rmSync(paths.config, { force: true });
  rmSync(paths.sessions, { recursive: true, force: true });
  rmSync(paths.cache, { recursive: true, force: true });
  const localData = await uninstallLocalData(paths, options, pending, options.json ? undefined : terminalAsk());
  emit(
    options,
    { settings: report, mcp, revokedKeyId: revoked, configRemoved: config !== undefined, pendingEvents: pending, localData },
    [
      report.removedHooks > 0
        ? `Removed ${report.removedHooks} msp hook${report.removedHooks === 1 ? "" : "s"} from ${report.path}${report.removedFile ? " (msp had created the file; it is gone)" : "; everything else is as it was"}.`
        : `No msp hooks in ${report.path}.`,
      mcp.removed ? `Removed the msp MCP server from ${mcp.path}.` : `No msp MCP server in ${mcp.path}.`,
      config ? `Removed ${paths.config}.` : `No config at ${paths.config}.`,
      revoked
        ? `Revoked the machine API key ${revoked}.`
        : config?.apiKeyId
          ? `The machine API key ${config.apiKeyId} is still valid on the server; revoke it there, or run: msp setup --uninstall --user NAME`
          : "",
      ...localDataLines(localData),
    ].filter(Boolean),
  );
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

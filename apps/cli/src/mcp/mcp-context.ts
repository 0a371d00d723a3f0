// What the tools of `msp mcp` work with: this machine's config and API key (read on every call,
// so a later `msp setup` needs no restart), the platform, and the scope of the folder the server
// was started in (Claude Code starts MCP servers in the project's folder).
import type { CliConfig } from "../local/cli-config";
import { readConfig } from "../local/cli-config";
import { readLinks } from "../local/folder-links";
import { readCatalog } from "../local/project-catalog";
import { resolveWorkScope } from "../local/work-scope";
import type { MspPaths } from "../local/msp-home";
import type { PlatformClient } from "../platform/platform-client";
import { createPlatformClient } from "../platform/platform-client";
import type { WorkScope } from "../spool/spool-event";
import { folderScope } from "../commands/folder-recall";

/** A failure the tool reports to Claude as it is (a tool error with this message), never a crash. */
export class McpToolError extends Error {
  override name = "McpToolError";
}

export interface McpContext {
  /** The config folder (for the log). */
  paths: MspPaths;
  /** The folder whose memory the tools read and write. */
  cwd: string;
  /** The stored config, or an McpToolError saying to run `msp setup`. */
  config(): CliConfig;
  /** The platform, signed in with the machine's API key. */
  platform(): PlatformClient;
  /** Where the folder's work belongs (project, client, repository). */
  scope(): Promise<WorkScope>;
  /** A client's name from the cached catalog, if known. */
  clientName(clientId: string | undefined): string | undefined;
}

/** How long a resolved folder scope is reused: `msp link` in another terminal shows within a minute. */
const scopeTtlMs = 60_000;

/** The context of a server started in `cwd` with the config folder `paths`. */
export function folderContext(paths: MspPaths, cwd: string): McpContext {
  let client: { server: string; apiKey: string; platform: PlatformClient } | undefined;
  let scoped: { at: number; key: string; scope: WorkScope } | undefined;
  const context: McpContext = {
    paths,
    cwd,
    config() {
      const config = readConfig(paths.config);
      if (!config)
        throw new McpToolError(
          `this machine is not set up for the MSP platform (no ${paths.config}); run: msp setup --server URL --user NAME`,
        );
      return config;
    },
    platform() {
      const config = context.config();
      if (!client || client.server !== config.server || client.apiKey !== config.apiKey)
        client = { server: config.server, apiKey: config.apiKey, platform: createPlatformClient(config.server, config.apiKey) };
      return client.platform;
    },
    async scope() {
      const config = context.config();
      const key = `${config.server}\u0000${config.apiKey}`;
      if (scoped && scoped.key === key && Date.now() - scoped.at < scopeTtlMs) return scoped.scope;
      let scope: WorkScope;
      try {
        scope = await folderScope(paths, context.platform(), cwd);
      } catch {
        // The catalog could not be refreshed: the cached one (or none) still names the folder's repository.
        scope = resolveWorkScope(cwd, readLinks(paths.links), readCatalog(paths.cache));
      }
      scoped = { at: Date.now(), key, scope };
      return scope;
    },
    clientName(clientId) {
      if (!clientId) return undefined;
      return readCatalog(paths.cache)?.clients.find((client) => client.id === clientId)?.name;
    },
  };
  return context;
}

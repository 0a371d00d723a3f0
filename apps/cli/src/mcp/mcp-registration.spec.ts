import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SettingsShapeError } from "../settings/claude-settings";
import { tempDir } from "../test-support/temp-dirs";
import {
  claudeUserConfigPath,
  isMspMcpEntry,
  mcpServerEntry,
  mcpServerRegistered,
  registerMcpServer,
  unregisterMcpServer,
} from "./mcp-registration";

const entry = mcpServerEntry("/usr/bin/node", "/opt/msp/bin/msp.js");

/** What Claude Code keeps in ~/.claude.json besides servers, and a server of the user's own. */
const claudeJson = {
  numStartups: 12,
  projects: { "/home/tech/work/portal": { allowedTools: [], mcpServers: {}, hasTrustDialogAccepted: true } },
  mcpServers: { github: { type: "stdio", command: "npx", args: ["-y", "@modelcontextprotocol/server-github"], env: { X: "1" } } },
  oauthAccount: { emailAddress: "tech@example.com" },
};

/** A temporary HOME, with ~/.claude.json holding `content` when given. */
function home(content?: string): { env: NodeJS.ProcessEnv; path: string } {
  const dir = tempDir("msp-mcp-home-");
  const path = join(dir, ".claude.json");
  if (content !== undefined) writeFileSync(path, content);
  return { env: { HOME: dir }, path };
}

const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> & { mcpServers: Record<string, unknown> };

describe("claudeUserConfigPath", () => {
  it("is ~/.claude.json, or .claude.json in CLAUDE_CONFIG_DIR when that is set", () => {
    expect(claudeUserConfigPath({ HOME: "/home/tech" })).toBe("/home/tech/.claude.json");
    expect(claudeUserConfigPath({ HOME: "/home/tech", CLAUDE_CONFIG_DIR: "/etc/claude-tech" })).toBe("/etc/claude-tech/.claude.json");
  });
});

describe("mcpServerEntry / isMspMcpEntry", () => {
  it("runs node with the launcher and `mcp`, with --home when the config folder is not the default", () => {
    expect(entry).toEqual({ type: "stdio", command: "/usr/bin/node", args: ["/opt/msp/bin/msp.js", "mcp"], env: {} });
    expect(mcpServerEntry("/usr/bin/node", "/opt/msp/bin/msp.js", "/srv/msp config").args).toEqual([
      "/opt/msp/bin/msp.js",
      "mcp",
      "--home",
      "/srv/msp config",
    ]);
  });

  it("knows msp's entries (also one `claude mcp add msp -- msp mcp` made) from anything else", () => {
    expect(isMspMcpEntry(entry)).toBe(true);
    expect(isMspMcpEntry({ command: "msp", args: ["mcp"] })).toBe(true);
    expect(isMspMcpEntry({ command: "C:\\Program Files\\nodejs\\node.exe", args: ["C:\\msp\\bin\\msp.js", "mcp"] })).toBe(true);
    expect(isMspMcpEntry({ command: "npx", args: ["-y", "msp-server"] })).toBe(false);
    expect(isMspMcpEntry({ command: "msp", args: ["recall"] })).toBe(false);
    expect(isMspMcpEntry({ type: "http", url: "https://msp.example.com/mcp" })).toBe(false);
    expect(isMspMcpEntry("msp mcp")).toBe(false);
  });
});

describe("registerMcpServer / unregisterMcpServer on a temp HOME", () => {
  it("adds the entry beside the user's own servers and Claude's data, and removal gives back an equal document", () => {
    const { env, path } = home(JSON.stringify(claudeJson, null, 2));
    chmodSync(path, 0o600);
    const first = registerMcpServer(entry, claudeUserConfigPath(env));
    expect(first).toEqual({ path, changed: true });
    const registered = read(path);
    expect(registered.mcpServers).toEqual({ ...claudeJson.mcpServers, msp: entry });
    expect(registered["projects"]).toEqual(claudeJson.projects);
    expect(registered["oauthAccount"]).toEqual(claudeJson.oauthAccount);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(mcpServerRegistered(path)).toBe(true);

    // Again: nothing to do. A moved installation: the entry is updated in place.
    expect(registerMcpServer(entry, path)).toEqual({ path, changed: false });
    const moved = mcpServerEntry("/usr/local/bin/node", "/usr/local/lib/node_modules/@msp/cli/bin/msp.js");
    expect(registerMcpServer(moved, path)).toEqual({ path, changed: true });
    expect(read(path).mcpServers["msp"]).toEqual(moved);

    // Claude Code writes its own changes meanwhile: they survive the removal.
    writeFileSync(path, JSON.stringify({ ...read(path), numStartups: 13 }));
    expect(unregisterMcpServer(path)).toEqual({ path, removed: true });
    expect(read(path)).toEqual({ ...claudeJson, numStartups: 13 });
    expect(mcpServerRegistered(path)).toBe(false);
    expect(unregisterMcpServer(path)).toEqual({ path, removed: false });
  });

  it("creates ~/.claude.json (mode 0600) when Claude Code has not run yet; removal of nothing changes nothing", () => {
    const { env, path } = home();
    expect(unregisterMcpServer(claudeUserConfigPath(env))).toEqual({ path, removed: false });
    expect(existsSync(path)).toBe(false);
    expect(registerMcpServer(entry, claudeUserConfigPath(env))).toEqual({ path, changed: true });
    expect(read(path)).toEqual({ mcpServers: { msp: entry } });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("leaves a server named msp that msp did not write alone, both ways", () => {
    const theirs = { type: "http", url: "https://msp.example.com/mcp" };
    const { path } = home(JSON.stringify({ mcpServers: { msp: theirs } }));
    expect(registerMcpServer(entry, path)).toEqual({ path, changed: false, conflict: true });
    expect(unregisterMcpServer(path)).toEqual({ path, removed: false });
    expect(read(path).mcpServers).toEqual({ msp: theirs });
  });

  it("refuses a file that is not valid JSON rather than overwrite Claude's data", () => {
    const { path } = home("{ not json");
    expect(() => registerMcpServer(entry, path)).toThrow(SettingsShapeError);
    expect(() => unregisterMcpServer(path)).toThrow(SettingsShapeError);
    expect(readFileSync(path, "utf8")).toBe("{ not json");
    const { path: odd } = home(JSON.stringify({ mcpServers: ["msp"] }));
    expect(() => registerMcpServer(entry, odd)).toThrow(/mcpServers must be an object/);
  });
});

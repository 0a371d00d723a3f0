// `msp mcp`: the platform's memory as an MCP server over stdio, so Claude can look things up
// mid-session (not only at its start) and save what it learns. Claude Code starts it in the
// project's folder (`msp setup` registers it, see mcp-registration.ts). stdout carries the
// protocol only: failures go to ~/.msp/log and to Claude as tool errors, never as a crash.
import { resolve } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
// zod 3.25 carries zod 4 as "zod/v4": the SDK's types infer tool arguments from v4 schemas in a
// blink, while v3 schemas send tsc into "excessively deep" instantiation (out of memory).
import * as z from "zod/v4";
import { ConfigError } from "../local/cli-config";
import { writeLog } from "../local/error-log";
import { ApiError, closeConnections, UnreachableError } from "../platform/http-json";
import type { CommonOptions } from "../commands/command-support";
import { pathsOf } from "../commands/command-support";
import type { McpContext } from "./mcp-context";
import { folderContext, McpToolError } from "./mcp-context";
import { knownFailures, memoryGet, memorySave, memorySearch, projectTimeline, toolBudgetChars } from "./mcp-tools";

/** The server's name (Claude Code shows its tools as mcp__msp__<tool>). */
export const mcpServerName = "msp";
const serverVersion = "0.1.0";

/** The tools, by name: what the registration and the tests expect. */
export const mcpToolNames = ["memory_search", "memory_get", "project_timeline", "known_failures", "memory_save"] as const;

const instructions =
  "The MSP platform's shared memory of this folder's project and client: what was done before, on any technician's machine. " +
  "Search it (memory_search) before solving a problem from scratch, when the user names a host, a client, an error or an earlier piece of work; " +
  "read an item in full with memory_get and the short id a line shows; see what recent sessions did with project_timeline; " +
  "look up known failures and their fixes for a host or an error with known_failures; " +
  "save a settled fact or a decision with its reasons with memory_save (secrets are redacted, but never save one on purpose).";

/** A tool's answer: its text, or the failure's message as a tool error. */
async function answer(context: McpContext, tool: string, run: () => Promise<string>): Promise<CallToolResult> {
  try {
    return { content: [{ type: "text", text: await run() }] };
  } catch (error) {
    return { content: [{ type: "text", text: failureText(context, tool, error) }], isError: true };
  }
}

/** What Claude is told when a tool fails; unexpected failures also go to the log with their stack. */
export function failureText(context: Pick<McpContext, "paths">, tool: string, error: unknown): string {
  if (error instanceof McpToolError || error instanceof ConfigError) return error.message;
  if (error instanceof UnreachableError)
    return `the MSP platform cannot be reached (${error.message}); its memory is not available right now, go on without it`;
  if (error instanceof ApiError) {
    writeLog(context.paths.log, "warn", `mcp ${tool}`, error.message);
    if (error.status === 401) return "the platform refused this machine's API key (revoked or expired?); run msp setup again";
    if (error.status === 403)
      return `this machine's API key may not do that (${error.detail}); run msp setup again to get a key with the memory scopes`;
    if (error.status === 400) return `the platform refused the request: ${error.detail}`;
    return `the platform answered ${error.status} ${error.code}: ${error.detail}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeLog(context.paths.log, "error", `mcp ${tool}`, error instanceof Error ? (error.stack ?? message) : message);
  return `msp failed unexpectedly: ${message} (details in ${context.paths.log})`;
}

/** The MCP server with its five tools, over the given context (a test gives it a fake platform). */
export function buildMcpServer(context: McpContext): McpServer {
  const server = new McpServer({ name: mcpServerName, version: serverVersion }, { instructions });
  const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

  server.registerTool(
    "memory_search",
    {
      title: "Search the project's memory",
      description:
        `Searches what the MSP platform remembers for this folder's project and client (earlier sessions on any machine: summaries, decisions, fixes, ` +
        `known issues, hosts, credentials by reference) for a query, such as an error message, a host, a file or a topic. Answers with dense lines ` +
        `tagged [kind short_id date machine], at most ${toolBudgetChars} characters; memory_get shows one in full.`,
      inputSchema: {
        query: z.string().min(1).max(4000).describe("what to look for: words, an error message, a host name or IP, a file name"),
        limit: z.number().int().min(1).max(30).optional().describe("at most this many items (default: as many as fit)"),
        scope: z
          .enum(["project", "client"])
          .optional()
          .describe('"project" (default): this folder\'s project first, then its client; "client": the whole client, every project'),
      },
      annotations: { title: "Search memory", ...readOnly },
    },
    (args) => answer(context, "memory_search", () => memorySearch(context, args)),
  );

  server.registerTool(
    "memory_get",
    {
      title: "One memory item in full",
      description:
        "One memory item in full (its whole text, tags, date and machine), by the 8-character short id a memory line shows, such as [decision abcd2345 ...].",
      inputSchema: { short_id: z.string().min(1).max(64).describe("the item's short id, such as abcd2345") },
      annotations: { title: "Get a memory item", ...readOnly },
    },
    (args) => answer(context, "memory_get", () => memoryGet(context, args)),
  );

  server.registerTool(
    "project_timeline",
    {
      title: "The project's recent work",
      description:
        "The recent work sessions of this folder's project, newest first: when, on which machine, title, summary, and each session's work items " +
        "(category, title, problem / cause / fix / verify).",
      inputSchema: { limit: z.number().int().min(1).max(20).optional().describe("how many sessions (default 5)") },
      annotations: { title: "Project timeline", ...readOnly },
    },
    (args) => answer(context, "project_timeline", () => projectTimeline(context, args)),
  );

  server.registerTool(
    "known_failures",
    {
      title: "Known failures for a host or an error",
      description:
        "Failures met before (on any machine) for a host or an error message, with their cause and known fix and how often they occurred, " +
        "and what memory says about them. Give a host, an error, or both.",
      inputSchema: {
        host: z.string().max(255).optional().describe("a host name, FQDN or IP, such as web01 or 10.0.0.5"),
        error: z.string().max(4000).optional().describe("the error message, as printed"),
      },
      annotations: { title: "Known failures", ...readOnly },
    },
    (args) => answer(context, "known_failures", () => knownFailures(context, args)),
  );

  server.registerTool(
    "memory_save",
    {
      title: "Save a note or a decision",
      description:
        "Saves a note (a settled fact: a port, a path, a configuration, a lesson learned, a command that works) or a decision with its reasons " +
        "to this folder's project memory, where later sessions on every machine find it. Secrets are redacted before it is sent; never save one.",
      inputSchema: {
        kind: z
          .enum(["note", "decision"])
          .describe('"note" for a fact, "decision" for a decision (text: why, and what else was considered)'),
        title: z.string().min(1).max(500).describe("a short title: the fact or the decision in a few words"),
        text: z.string().min(1).max(20_000).describe("the note, densely written; for a decision, its reasons and the alternatives"),
        tags: z.array(z.string().max(64)).max(20).optional().describe("technologies, hosts or clients it is about, such as nginx, web01"),
        category: z
          .enum(["configuration", "lesson_learned", "pattern", "command", "tech_decision"])
          .optional()
          .describe("for a note: what kind of fact (default pattern)"),
      },
      annotations: { title: "Save to memory", readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) => answer(context, "memory_save", () => memorySave(context, args)),
  );
  return server;
}

export interface McpOptions extends CommonOptions {
  cwd?: string;
}

/** `msp mcp [--cwd DIR] [--home DIR]`: serves until the client closes stdin. */
export async function mcpCommand(options: McpOptions): Promise<void> {
  const paths = pathsOf(options);
  // Claude Code starts the server in the project's folder; CLAUDE_PROJECT_DIR names it where set.
  const cwd = resolve(options.cwd || process.env["CLAUDE_PROJECT_DIR"] || process.cwd());
  const context = folderContext(paths, cwd);
  const server = buildMcpServer(context);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
    // The client went away: end the process rather than wait on a dead pipe.
    process.stdin.once("end", () => void server.close());
    process.stdin.once("close", () => void server.close());
  });
  server.server.onerror = (error) => writeLog(paths.log, "warn", "mcp", `protocol: ${error.message}`);
  await server.connect(transport);
  await closed;
  closeConnections();
}

// The tools of `msp mcp` through a real MCP client of the SDK, linked to the server in memory,
// over a fake platform: what each tool sends (scope, redacted text, budgets) and what Claude reads.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CliConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { ApiError, UnreachableError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import type { FailurePattern, RecallRequest, WorkItem, WorkSession } from "../platform/platform-types";
import type { WorkScope } from "../spool/spool-event";
import { tempDir } from "../test-support/temp-dirs";
import type { McpContext } from "./mcp-context";
import { McpToolError } from "./mcp-context";
import { buildMcpServer, mcpToolNames } from "./mcp-server";
import { failureMatch, fitLines, recalledLines } from "./mcp-tools";

const config: CliConfig = {
  server: "http://platform.test",
  machineId: "m-1",
  machineName: "LAPTOP-A",
  fingerprint: "fp",
  apiKey: "msp_test",
  setupAt: "2026-12-01T00:00:00Z",
};
const scope: WorkScope = {
  cwd: "/home/tech/work/portal",
  repository: "github.com/acme/portal",
  projectId: "p-1",
  clientId: "c-1",
  projectName: "Patient portal",
};

type Fake = Partial<Record<keyof PlatformClient, jest.Mock>>;

/** A client connected in memory to a server over `platform`; `setUp` false: no config.json. */
async function connect(platform: Fake, options: { setUp?: boolean; folder?: WorkScope } = {}) {
  const paths = mspPaths(tempDir("msp-mcp-"));
  const context: McpContext = {
    paths,
    cwd: scope.cwd,
    config: () => {
      if (options.setUp === false) throw new McpToolError("this machine is not set up for the MSP platform; run: msp setup");
      return config;
    },
    platform: () => platform as unknown as PlatformClient,
    scope: () => Promise.resolve(options.folder ?? scope),
    clientName: (id) => (id === "c-1" ? "Acme Dental" : undefined),
  };
  const server = buildMcpServer(context);
  const client = new Client({ name: "test", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    const content = result.content as Array<{ type: string; text: string }>;
    return { text: content.map((part) => part.text).join("\n"), isError: result.isError === true };
  };
  return { client, server, call, paths };
}

const recallAnswer = {
  items: [{ shortId: "abcd2345", kind: "decision", title: "nginx in front" }],
  text: "# Memory from earlier sessions (project Patient portal)\n- [decision abcd2345 2026-11-30 LAPTOP-A] nginx in front: TLS ends at nginx\nFull item: msp recall --id abcd2345",
};

describe("msp mcp over an MCP client of the SDK", () => {
  it("lists its five tools, each with a description and an input schema", async () => {
    const { client } = await connect({});
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort());
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe("object");
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get("memory_search")?.inputSchema.required).toEqual(["query"]);
    expect(byName.get("memory_get")?.inputSchema.required).toEqual(["short_id"]);
    expect(byName.get("memory_save")?.inputSchema.required).toEqual(["kind", "title", "text"]);
    expect(byName.get("memory_search")?.annotations?.readOnlyHint).toBe(true);
    expect(byName.get("memory_save")?.annotations?.readOnlyHint).toBe(false);
  });

  it("memory_search recalls for the folder's scope with the redacted query, within 4,000 characters", async () => {
    const recall = jest.fn().mockResolvedValue(recallAnswer);
    const { call } = await connect({ recall });
    const answer = await call("memory_search", { query: "why nginx? token ghp_abcdefghijklmnopqrstuvwxyz0123456789", limit: 5 });
    expect(answer.isError).toBe(false);
    expect(answer.text).toContain("[decision abcd2345 2026-11-30 LAPTOP-A] nginx in front");
    expect(answer.text).toContain("project Patient portal, client Acme Dental");
    const request = recall.mock.calls[0]![0] as RecallRequest;
    expect(request).toMatchObject({
      scope: { projectId: "p-1", clientId: "c-1", repository: "github.com/acme/portal", machineId: "m-1", cwd: scope.cwd },
      budgetChars: 4_000,
      maxItems: 5,
    });
    expect(request.query).toBe("why nginx? token [REDACTED:github_token]");

    await call("memory_search", { query: "backups", scope: "client" });
    expect((recall.mock.calls[1]![0] as RecallRequest).scope).toEqual({ machineId: "m-1", machineName: "LAPTOP-A", clientId: "c-1" });
  });

  it("memory_search says so when nothing is found; a bad argument is a tool error, not a crash", async () => {
    const { call, client } = await connect({ recall: jest.fn().mockResolvedValue({ items: [], text: "" }) });
    expect((await call("memory_search", { query: "nothing like it" })).text).toContain("nothing found");
    const bad = await client.callTool({ name: "memory_search", arguments: { limit: 3 } });
    expect(bad.isError).toBe(true);
  });

  it("memory_get shows an item in full; a malformed or unknown short id is a tool error that says why", async () => {
    const getMemoryItem = jest.fn().mockImplementation((shortId: string) => {
      if (shortId === "abcd2345")
        return Promise.resolve({
          shortId,
          kind: "decision",
          title: "nginx in front",
          text: "[decision abcd2345 2026-11-30 LAPTOP-A] nginx in front\n\nTLS ends at nginx; the app listens on 127.0.0.1:3000.",
          time: "2026-11-30T10:00:00Z",
          machineName: "LAPTOP-A",
        });
      return Promise.reject(new ApiError(404, "not_found", "GET /api/v1/memory/items/x: 404 memory item not found"));
    });
    const { call } = await connect({ getMemoryItem });
    const item = await call("memory_get", { short_id: " ABCD2345 " });
    expect(item).toEqual({ isError: false, text: expect.stringContaining("the app listens on 127.0.0.1:3000") });
    expect(getMemoryItem).toHaveBeenCalledWith("abcd2345", expect.any(Number));
    expect(await call("memory_get", { short_id: "zzzz2222" })).toEqual({
      isError: true,
      text: expect.stringContaining("no memory item zzzz2222"),
    });
    expect(await call("memory_get", { short_id: "not-an-id!" })).toEqual({
      isError: true,
      text: expect.stringContaining("is not a short id"),
    });
  });

  it("project_timeline lists the project's sessions newest first with their work items and machines", async () => {
    const sessions: WorkSession[] = [
      {
        id: "s-2",
        projectId: "p-1",
        machineId: "m-2",
        title: "Fix the portal's TLS",
        summary: "Renewed the certificate, nginx reloads it.",
        status: "SESSION_STATUS_COMPLETED",
        startedAt: "2026-12-02T09:00:00Z",
        durationMinutes: 45,
      },
      {
        id: "s-1",
        projectId: "p-1",
        machineId: "m-1",
        title: "Set up nginx",
        startedAt: "2026-11-30T09:00:00Z",
        status: "SESSION_STATUS_IN_PROGRESS",
      },
    ];
    const items: Record<string, WorkItem[]> = {
      "s-2": [
        {
          id: "w-1",
          title: "Certificate expired",
          category: "WORK_ITEM_CATEGORY_TROUBLESHOOTING",
          problem: "browsers warned",
          cause: "the certificate expired",
          fix: "certbot renew",
          verify: "curl -v shows the new date",
        },
      ],
      "s-1": [{ id: "w-2", title: "Install nginx", category: "WORK_ITEM_CATEGORY_CONFIGURATION", description: "apt install nginx" }],
    };
    const listRecentSessions = jest.fn().mockResolvedValue({ items: sessions, nextPageToken: "" });
    const listSessionWorkItems = jest
      .fn()
      .mockImplementation((id: string) => Promise.resolve({ items: items[id] ?? [], nextPageToken: "" }));
    const getMachine = jest.fn().mockResolvedValue({ id: "m-2", hostname: "desktop-b", friendlyName: "DESKTOP-B" });
    const { call } = await connect({ listRecentSessions, listSessionWorkItems, getMachine });
    const { text, isError } = await call("project_timeline", { limit: 2 });
    expect(isError).toBe(false);
    expect(listRecentSessions).toHaveBeenCalledWith('project_id = "p-1"', 2, expect.any(Number));
    const lines = text.split("\n");
    expect(lines[0]).toContain("Recent work of repository github.com/acme/portal, project Patient portal");
    expect(lines[1]).toBe("## 2026-12-02 · on DESKTOP-B · completed · 45 min: Fix the portal's TLS");
    expect(text).toContain(
      "(troubleshooting) Certificate expired: problem: browsers warned; cause: the certificate expired; fix: certbot renew; verify: curl -v shows the new date",
    );
    expect(text.indexOf("Set up nginx")).toBeGreaterThan(text.indexOf("Fix the portal's TLS"));
    expect(text).toContain("## 2026-11-30 · on LAPTOP-A · in progress: Set up nginx");
    expect(text).toContain("(configuration) Install nginx: apt install nginx");
    expect(text.length).toBeLessThanOrEqual(4_000);
  });

  it("known_failures finds the patterns of a host or an error, with their fixes, and what memory says", async () => {
    const patterns: FailurePattern[] = [
      {
        id: "f-1",
        host: "web01",
        errorPattern: "KeyError: 'ContainerConfig'",
        rootCause: "docker-compose 1.29 against a newer engine",
        recommendedSolution: "use docker compose v2",
        occurrenceCount: 3,
        lastSeenAt: "2026-11-20T00:00:00Z",
      },
      { id: "f-2", host: "db01", errorPattern: "Access denied for user <name>", recommendedSolution: "grant the user", occurrenceCount: 1 },
      { id: "f-3", errorPattern: "disk full on <path>", occurrenceCount: 2 },
    ];
    const listFailurePatterns = jest.fn().mockResolvedValue({ items: patterns, nextPageToken: "" });
    const recall = jest.fn().mockResolvedValue(recallAnswer);
    const { call } = await connect({ listFailurePatterns, recall });

    const byError = await call("known_failures", { error: "ERROR: for app  KeyError: 'ContainerConfig' again" });
    expect(byError.isError).toBe(false);
    expect(byError.text).toContain(
      "- KeyError: 'ContainerConfig' (host web01, seen 3 times, last 2026-11-20) -> cause: docker-compose 1.29",
    );
    expect(byError.text).toContain("fix: use docker compose v2");
    expect(byError.text).not.toContain("Access denied");
    expect(byError.text).toContain("## Related memory");
    expect(listFailurePatterns).toHaveBeenCalledWith('is_active = true AND client_id = "c-1"', 200, expect.any(Number));

    const byHost = await call("known_failures", { host: "DB01" });
    expect(byHost.text).toContain("Access denied for user <name>");
    expect(byHost.text).not.toContain("ContainerConfig' (host");
    expect((recall.mock.calls[1]![0] as RecallRequest).query).toBe("DB01");

    expect(await call("known_failures", {})).toEqual({ isError: true, text: expect.stringContaining("give a host") });
  });

  it("memory_save stores a note as a snippet and a decision as a decision log, redacted, in the folder's project", async () => {
    const createContextSnippet = jest.fn().mockResolvedValue({ id: "sn-1" });
    const createDecisionLog = jest.fn().mockResolvedValue({ id: "dl-1" });
    const { call } = await connect({ createContextSnippet, createDecisionLog });
    const note = await call("memory_save", {
      kind: "note",
      title: "Portal database",
      text: "MariaDB on db01:3306, db password: S3cret-Passw0rd-e2e",
      tags: ["MariaDB", "db01"],
      category: "configuration",
    });
    expect(note.isError).toBe(false);
    expect(note.text).toContain(
      'Saved the note "Portal database" to the memory of repository github.com/acme/portal, project Patient portal',
    );
    expect(note.text).toContain("1 secret was redacted");
    const snippet = createContextSnippet.mock.calls[0]![0] as Record<string, unknown>;
    expect(snippet).toEqual({
      projectId: "p-1",
      clientId: "c-1",
      repository: "github.com/acme/portal",
      machineId: "m-1",
      machineName: "LAPTOP-A",
      tags: ["mariadb", "db01"],
      category: "SNIPPET_CATEGORY_CONFIGURATION",
      title: "Portal database",
      denseContent: "MariaDB on db01:3306, db password: [REDACTED:password]",
      importance: 7,
    });
    expect(JSON.stringify(snippet)).not.toContain("S3cret-Passw0rd-e2e");

    const decision = await call("memory_save", {
      kind: "decision",
      title: "Use docker compose v2",
      text: "v1 breaks on engine 25 (KeyError)",
    });
    expect(decision.text).toContain('Saved the decision "Use docker compose v2"');
    expect(createDecisionLog.mock.calls[0]![0]).toMatchObject({
      projectId: "p-1",
      decision: "Use docker compose v2",
      rationale: "v1 breaks on engine 25 (KeyError)",
    });
  });

  it("memory_save: the same note twice is no failure; a folder with no project or remote is told how to get one", async () => {
    const createContextSnippet = jest
      .fn()
      .mockRejectedValue(
        new ApiError(409, "already_exists", "POST: 409", "a context snippet with the same content already exists in this project (sn-1)"),
      );
    const { call } = await connect({ createContextSnippet });
    const again = await call("memory_save", { kind: "note", title: "x", text: "y" });
    expect(again).toEqual({ isError: false, text: expect.stringContaining("Already in the memory") });
    const loose = await connect({ createContextSnippet }, { folder: { cwd: "/tmp/scratch" } });
    expect(await loose.call("memory_save", { kind: "note", title: "x", text: "y" })).toEqual({
      isError: true,
      text: expect.stringContaining("msp link --project"),
    });
  });

  it("turns a machine that is not set up, a platform that is down, a refused key and a bug into tool errors", async () => {
    const notSetUp = await connect({}, { setUp: false });
    expect(await notSetUp.call("memory_search", { query: "x" })).toEqual({ isError: true, text: expect.stringContaining("msp setup") });

    const down = await connect({ recall: jest.fn().mockRejectedValue(new UnreachableError("POST /api/v1/memory:recall: ECONNREFUSED")) });
    expect(await down.call("memory_search", { query: "x" })).toEqual({ isError: true, text: expect.stringContaining("cannot be reached") });

    const refused = await connect({ recall: jest.fn().mockRejectedValue(new ApiError(401, "unauthenticated", "401")) });
    expect(await refused.call("memory_search", { query: "x" })).toEqual({
      isError: true,
      text: expect.stringContaining("run msp setup again"),
    });

    const buggy = await connect({ recall: jest.fn().mockRejectedValue(new TypeError("cannot read x of undefined")) });
    const bug = await buggy.call("memory_search", { query: "x" });
    expect(bug).toEqual({ isError: true, text: expect.stringContaining("msp failed unexpectedly: cannot read x of undefined") });
    // The server goes on answering after a failure.
    expect((await buggy.client.listTools()).tools).toHaveLength(5);
  });
});

describe("failureMatch, recalledLines and fitLines", () => {
  it("takes the recall's own header and footer off, and the items already shown", () => {
    const answer = {
      items: [
        { shortId: "abcd2345", kind: "decision", id: "d-1" },
        { shortId: "fail2345", kind: "failure_pattern", id: "f-1" },
      ],
      text: [
        "# Memory from earlier sessions (project x); each line: [kind short_id date machine]",
        "- [decision abcd2345 2026-11-30] nginx in front",
        "- [failure_pattern fail2345 2026-11-30] known issue: disk full -> fix: prune",
        "Full item: msp recall --id abcd2345",
      ].join("\n"),
    };
    expect(recalledLines(answer)).toBe(
      "- [decision abcd2345 2026-11-30] nginx in front\n- [failure_pattern fail2345 2026-11-30] known issue: disk full -> fix: prune",
    );
    expect(recalledLines(answer, new Set(["f-1"]))).toBe("- [decision abcd2345 2026-11-30] nginx in front");
  });

  it("matches a pattern by host name (or an FQDN of it) and by the words of an error", () => {
    const pattern: FailurePattern = { id: "f", host: "web01.acme.local", errorPattern: "permission denied (publickey)" };
    expect(failureMatch(pattern, "web01", "")).toBe(2);
    expect(failureMatch(pattern, "web02", "")).toBe(0);
    expect(failureMatch(pattern, "", "ssh: Permission denied (publickey).")).toBeGreaterThan(1);
    expect(failureMatch(pattern, "", "connection refused")).toBe(0);
  });

  it("keeps whole lines within the budget and says how many were left out", () => {
    const text = fitLines(["a".repeat(40), "b".repeat(40), "c".repeat(40)], 100, "lines");
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text).toContain("… 1 more lines left out");
  });
});

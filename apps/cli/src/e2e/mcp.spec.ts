// `msp mcp` end to end: the whole platform as processes, a machine set up with `msp setup` in a
// clone of the project's repository, and the SDK's own MCP client starting `msp mcp` over stdio
// in that folder, as Claude Code does: it lists the tools, searches, reads an item by its short
// id, reads the project's recent work and known failures, and saves a note that a search finds.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Json } from "@msp/testing";
import { mcpToolNames } from "../mcp/mcp-server";
import type { TestMachine } from "./cli-harness";
import { buildBundles, createMachine, gitClone, jsonOf, launcher, msp, ok, removeMachine } from "./cli-harness";
import type { RestartablePlatform } from "./restartable-platform";
import { startRestartablePlatform } from "./restartable-platform";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(180_000));

const machine = createMachine("LAPTOP-MCP", "e2e-fingerprint-mcp");
const stranger = createMachine("NOT-SET-UP", "e2e-fingerprint-mcp-stranger");
const remote = "https://github.com/acme/mcp-portal.git";
const secret = "S3cret-Passw0rd-mcp";
let platform: RestartablePlatform;
let projectId: string;
let clientId: string;
let repo: string;
const clients: Client[] = [];

/** An MCP client of the SDK that starts `msp mcp` as a process on a machine, in `cwd`. */
async function connect(on: TestMachine, cwd: string, extraArgs: string[] = []): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [launcher, "mcp", ...extraArgs],
    cwd,
    // Only the machine's environment: its HOME (and so its ~/.msp), never the test runner's.
    env: on.env as Record<string, string>,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "msp-e2e", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return { client, stderr: () => stderr };
}

/** A tool's text and whether it is an error. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Array<{ type: string; text?: string }>;
  return { text: content.map((part) => part.text ?? "").join("\n"), isError: result.isError === true };
}

async function created(path: string, body: Record<string, unknown>): Promise<Json> {
  const answer = await platform.api("POST", path, body);
  if (answer.status !== 200) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

beforeAll(async () => {
  buildBundles();
  platform = await startRestartablePlatform();
  clientId = (await created("/api/v1/clients", { name: "Acme Dental", clientType: "CLIENT_TYPE_MSP_CLIENT", defaultHourlyRate: "120" })).id;
  projectId = (await created("/api/v1/projects", { clientId, name: "MCP portal", slug: "acme-mcp-portal", repoUrl: remote })).id;
  repo = gitClone(machine.home, "work/mcp-portal", remote);
  const setup = await msp(machine, ["setup", "--server", platform.baseUrl, "--user", "admin", "--no-hooks", "--json"], {
    cwd: repo,
    env: { MSP_PASSWORD: platform.adminPassword },
  });
  expect(jsonOf<Json>(ok(setup)).recall.scope).toContain("project MCP portal");

  // What the project already remembers: a decision, a session with a work item, a known failure.
  await created("/api/v1/decisionLogs", {
    projectId,
    clientId,
    decision: "Nightly backups go to the Zanzibar NAS",
    rationale: "The old tape drive failed twice in November; the Zanzibar NAS keeps 30 days of snapshots.",
    tags: ["backup"],
  });
  const session = await created("/api/v1/sessions", {
    clientId,
    projectId,
    title: "Portal TLS renewal",
    summary: "Renewed the certificate of portal.acme.example; nginx reloads it.",
    startedAt: "2026-11-28T09:00:00Z",
  });
  await created("/api/v1/workItems", {
    sessionId: session.id,
    title: "Expired certificate on web01",
    problem: "browsers warned about the portal's certificate",
    cause: "certbot's timer was disabled",
    fix: "certbot renew and systemctl enable --now certbot.timer",
    verify: "curl -vI https://portal.acme.example shows the new expiry",
  });
  await created("/api/v1/failurePatterns", {
    clientId,
    host: "web01",
    errorPattern: "KeyError: 'ContainerConfig'",
    rootCause: "docker-compose 1.29 against Docker Engine 25",
    recommendedSolution: "use the docker compose v2 plugin",
    occurrenceCount: 3,
  });
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await platform?.dispose();
  removeMachine(machine);
  removeMachine(stranger);
});

test("an MCP client lists the five tools of msp mcp, started in the project's folder", async () => {
  const { client } = await connect(machine, repo);
  expect(client.getServerVersion()?.name).toBe("msp");
  expect(client.getInstructions()).toContain("memory_search");
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual([...mcpToolNames].sort());
});

test("memory_search answers with the project's decision, and memory_get shows it in full by its short id", async () => {
  const { client, stderr } = await connect(machine, repo);
  const search = await call(client, "memory_search", { query: "where do the backups go" });
  expect(search.isError).toBe(false);
  expect(search.text).toContain("project MCP portal");
  expect(search.text).toContain("Nightly backups go to the Zanzibar NAS");
  expect(search.text.length).toBeLessThanOrEqual(4_300);
  const shortId = /\[decision ([a-z2-7]{8}) /.exec(search.text)?.[1];
  expect(shortId).toBeDefined();

  const item = await call(client, "memory_get", { short_id: shortId });
  expect(item.isError).toBe(false);
  expect(item.text).toContain("Nightly backups go to the Zanzibar NAS");
  expect(item.text).toContain("The old tape drive failed twice in November; the Zanzibar NAS keeps 30 days of snapshots.");

  const unknown = await call(client, "memory_get", { short_id: "zzzz2222" });
  expect(unknown).toEqual({ isError: true, text: expect.stringContaining("no memory item zzzz2222") });
  expect(stderr()).toBe("");
});

test("project_timeline shows the project's session and its work item; known_failures the fix for web01", async () => {
  const { client } = await connect(machine, repo);
  const timeline = await call(client, "project_timeline", {});
  expect(timeline.isError).toBe(false);
  expect(timeline.text).toContain("Portal TLS renewal");
  expect(timeline.text).toContain("2026-11-28");
  expect(timeline.text).toContain("Expired certificate on web01");
  expect(timeline.text).toContain("fix: certbot renew and systemctl enable --now certbot.timer");

  const failures = await call(client, "known_failures", { host: "web01", error: "ERROR: for app  KeyError: 'ContainerConfig'" });
  expect(failures.isError).toBe(false);
  expect(failures.text).toContain("KeyError: 'ContainerConfig' (host web01, seen 3 times");
  expect(failures.text).toContain("fix: use the docker compose v2 plugin");
});

test("memory_save stores a redacted note in the project that memory_search then finds; --cwd names the folder", async () => {
  // Started elsewhere, pointed at the project's folder with --cwd.
  const { client } = await connect(machine, machine.home, ["--cwd", repo]);
  const saved = await call(client, "memory_save", {
    kind: "note",
    title: "Portal database on db01",
    text: `The portal's MariaDB listens on db01:3307 (not 3306); db password: ${secret}`,
    tags: ["mariadb", "db01"],
    category: "configuration",
  });
  expect(saved.isError).toBe(false);
  expect(saved.text).toContain('Saved the note "Portal database on db01"');
  expect(saved.text).toContain("1 secret was redacted");

  const found = await call(client, "memory_search", { query: "which port does the portal database listen on" });
  expect(found.text).toContain("db01:3307");
  expect(found.text).not.toContain(secret);
  const stored = await platform.api("GET", `/api/v1/contextSnippets?filter=${encodeURIComponent(`project_id = "${projectId}"`)}`);
  const snippet = (stored.json.contextSnippets as Json[]).find((s) => s.title === "Portal database on db01");
  expect(snippet).toMatchObject({
    projectId,
    clientId,
    category: "SNIPPET_CATEGORY_CONFIGURATION",
    repository: "github.com/acme/mcp-portal",
  });
  expect(JSON.stringify(snippet)).not.toContain(secret);

  const decision = await call(client, "memory_save", {
    kind: "decision",
    title: "Keep MariaDB on port 3307",
    text: "3306 is taken by the legacy MySQL of the billing app.",
  });
  expect(decision.isError).toBe(false);
  expect((await call(client, "memory_search", { query: "legacy MySQL billing port" })).text).toContain("Keep MariaDB on port 3307");
});

test("on a machine that is not set up the server still starts, and each tool says to run msp setup", async () => {
  const { client } = await connect(stranger, stranger.home);
  expect((await client.listTools()).tools).toHaveLength(5);
  const answer = await call(client, "memory_search", { query: "backups" });
  expect(answer).toEqual({ isError: true, text: expect.stringContaining("msp setup") });
});

import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { writeLinks } from "../local/folder-links";
import { readLog } from "../local/error-log";
import { mspPaths } from "../local/msp-home";
import { loadSessionState } from "../local/session-state";
import type { FakeGateway, Seen } from "../test-support/fake-gateway";
import { fakeGateway, machineHome } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import { runHook } from "./run-hook";

// SessionStart learns the names of the folder's client's hosts; UserPromptSubmit then asks the
// recall (which adds the host's facts) when a prompt names one, and never twice for the same host.
const hostLine = "- [host dc01 10.0.0.10] Windows Server 2016; shell powershell 5.1; limits: PowerShell 2.0 only";
const hostShortId = "hostdc01";

let gateway: FakeGateway;
let assetsAnswer: () => { status?: number; json: unknown } = () => ({
  json: { assets: [{ id: "a1", clientId: "c1", hostname: "dc01.corp.local", ipAddress: "10.0.0.10", aliases: ["ad"] }] },
});

function route(seen: Seen): { status?: number; json: unknown } | undefined {
  if (seen.path === "/api/v1/projects") return { json: { projects: [{ id: "p1", clientId: "c1", name: "Portal" }] } };
  if (seen.path === "/api/v1/clients") return { json: { clients: [{ id: "c1", name: "Acme Dental" }] } };
  if (seen.path === "/api/v1/sessions" && seen.method === "POST") return { json: { id: "s1" } };
  if (seen.path === "/api/v1/assets") return assetsAnswer();
  if (seen.path === "/api/v1/memory:recall") {
    const body = seen.body as { query?: string; excludeShortIds?: string[] };
    const names = /\b(dc01|10\.0\.0\.10|ad)\b/.test(body.query ?? "");
    if (!names || body.excludeShortIds?.includes(hostShortId)) return { json: { items: [], text: "" } };
    return {
      json: {
        items: [{ shortId: hostShortId, kind: "host", id: "a1", title: "dc01.corp.local", line: hostLine }],
        text: `# Memory\n${hostLine}`,
      },
    };
  }
  return undefined;
}

beforeAll(async () => {
  gateway = await fakeGateway((seen) => route(seen));
});
afterAll(() => gateway.close());

/** A machine set up against the fake gateway, with a folder linked to project p1 of client c1. */
function linkedMachine() {
  const paths = mspPaths(machineHome(gateway.url));
  const folder = join(tempDir("msp-work-"), "portal");
  mkdirSync(folder, { recursive: true });
  writeLinks(paths.links, { [folder]: { projectId: "p1", clientId: "c1", projectName: "Portal", linkedAt: new Date().toISOString() } });
  return { paths, folder };
}

const hook = (
  paths: ReturnType<typeof mspPaths>,
  folder: string,
  event: "session-start" | "user-prompt-submit",
  extra: Record<string, unknown>,
) => runHook(event, JSON.stringify({ session_id: "claude-1", cwd: folder, ...extra }), paths, folder);

const assetLists = () => gateway.seen.filter((seen) => seen.path === "/api/v1/assets");
const recalls = () =>
  gateway.seen.filter((seen) => seen.path === "/api/v1/memory:recall").map((seen) => seen.body as Record<string, unknown>);

beforeEach(() => {
  gateway.seen.length = 0;
});

describe("host names in prompts", () => {
  it("SessionStart lists the client's hosts once; a prompt naming one recalls its facts, once per session", async () => {
    const { paths, folder } = linkedMachine();
    expect(await hook(paths, folder, "session-start", { source: "startup" })).toBe("");
    expect(assetLists().map((seen) => seen.query.get("filter"))).toEqual(['client_id = "c1"']);
    expect(loadSessionState(paths.sessions, "claude-1").knownTerms).toEqual(
      expect.arrayContaining(["dc01.corp.local", "dc01", "10.0.0.10", "acme dental"]),
    );

    expect(await hook(paths, folder, "user-prompt-submit", { prompt: "Is DC01 replicating? password is hunter2" })).toBe(
      `# Memory\n${hostLine}`,
    );
    // The host first, then the prompt's words, its secret redacted.
    expect(recalls().at(-1)).toMatchObject({
      query: "dc01 Is DC01 replicating? password is [REDACTED:password]",
      scope: { clientId: "c1", projectId: "p1" },
    });
    // The same host again: the recall is told it was injected, and nothing is printed.
    expect(await hook(paths, folder, "user-prompt-submit", { prompt: "and 10.0.0.10, can it reach the internet?" })).toBe("");
    expect(recalls().at(-1)).toMatchObject({ query: expect.stringMatching(/^10\.0\.0\.10 /), excludeShortIds: [hostShortId] });
    // A prompt naming no host asks nothing.
    const before = recalls().length;
    expect(await hook(paths, folder, "user-prompt-submit", { prompt: "tidy up the readme please" })).toBe("");
    expect(recalls()).toHaveLength(before);

    // A second session within ten minutes uses the cached names.
    await runHook("session-start", JSON.stringify({ session_id: "claude-2", cwd: folder, source: "startup" }), paths, folder);
    expect(assetLists()).toHaveLength(1);
    expect(loadSessionState(paths.sessions, "claude-2").knownTerms).toContain("dc01");
  });

  it("a machine key without infra:read still works: the refusal is logged and not asked again for a while", async () => {
    assetsAnswer = () => ({ status: 403, json: { code: "permission_denied", message: "API key lacks scope infra:read" } });
    try {
      const { paths, folder } = linkedMachine();
      expect(await hook(paths, folder, "session-start", { source: "startup" })).toBe("");
      expect(
        readLog(paths.log)
          .map((entry) => entry.message)
          .join("\n"),
      ).toMatch(/could not list the client's hosts.*infra:read/);
      expect(loadSessionState(paths.sessions, "claude-1").knownTerms).not.toContain("dc01");
      await runHook("session-start", JSON.stringify({ session_id: "claude-2", cwd: folder, source: "startup" }), paths, folder);
      expect(assetLists()).toHaveLength(1);
    } finally {
      assetsAnswer = () => ({ json: { assets: [] } });
    }
  });
});

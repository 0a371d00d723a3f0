import type { Principal } from "@msp/auth";
import { DomainError } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { ReadRows } from "../recall/read-rows";
import type { HostRecallRequest } from "./host-recall";
import { createHostRecall, hostBackoffMs, hostShortId, maxRecalledHosts } from "./host-recall";
import type { HostQuery, InfraHosts } from "./infra-hosts";
import { HostBudgetExceeded } from "./infra-hosts";
import type { KnownHost } from "./known-host";
import { makeHost } from "./testing";

const client = "01900000-0000-7000-8000-00000000c11e";
const caller = { requestId: "req-1", auth: { userId: "u1", username: "tech", role: "technician" } as unknown as Principal };
const request = (overrides: Partial<HostRecallRequest> = {}): HostRecallRequest => ({
  scope: { clientId: client, cwd: "/home/ana/work/portal" },
  query: "dc01",
  excludeShortIds: new Set(),
  ...overrides,
});

/** A fake infra service: answers `hosts`, or throws `failure`; remembers what it was asked. */
function fakeInfra(hosts: KnownHost[] | (() => KnownHost[]), failure?: Error) {
  const asked: HostQuery[] = [];
  const infra: InfraHosts = {
    matchHosts: (_ctx, query) => {
      asked.push(query);
      if (failure !== undefined) return Promise.reject(failure);
      return Promise.resolve(typeof hosts === "function" ? hosts() : hosts);
    },
  };
  return { infra, asked };
}

/** A fake read of failure_patterns answering these rows (for the asset query, none for the name query). */
function fakeRead(rows: Record<string, unknown>[] = []): ReadRows & { statements: string[] } {
  const statements: string[] = [];
  const read = (<T extends object>(sql: string) => {
    statements.push(sql);
    return Promise.resolve((sql.includes("infrastructure_id IN") ? rows : []) as T[]);
  }) as unknown as ReadRows & { statements: string[] };
  read.statements = statements;
  return read;
}

function fakeLogger() {
  const lines: Array<{ level: string; fields: unknown; message: string }> = [];
  const at = (level: string) => (fields: unknown, message: string) => void lines.push({ level, fields, message });
  return { logger: { debug: at("debug"), warn: at("warn"), info: at("info"), error: at("error") } as unknown as Logger, lines };
}

describe("createHostRecall", () => {
  it("asks MatchHosts for the client's hosts the query names and writes one line per host, with its failures", async () => {
    const { infra, asked } = fakeInfra([makeHost()]);
    const read = fakeRead([
      {
        id: "f1",
        infrastructure_id: makeHost().id,
        host: "dc01",
        error_pattern: "Install-Module failed",
        description: "PSGallery unreachable",
        recommended_solution: "copy from the share",
        occurrence_count: 4,
      },
    ]);
    const hosts = createHostRecall({ infra, read, logger: fakeLogger().logger });
    const entries = await hosts(caller, request());
    expect(asked).toEqual([{ clientId: client, texts: ["dc01"], limit: maxRecalledHosts }]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: makeHost().id, shortId: hostShortId(makeHost().id), hostname: "dc01", failureIds: ["f1"] });
    expect(entries[0]!.line).toMatch(/^- \[host dc01 10\.0\.0\.10\] Windows Server 2016/);
    expect(entries[0]!.line).toContain("known failures: PSGallery unreachable -> fix: copy from the share");
  });

  it("looks in the folder when there is no query (SessionStart)", async () => {
    const { infra, asked } = fakeInfra([]);
    const hosts = createHostRecall({ infra, read: fakeRead(), logger: fakeLogger().logger });
    await hosts(
      caller,
      request({ query: "", scope: { clientId: client, cwd: "/home/ana/clients/dc01", repository: "github.com/acme/tools" } }),
    );
    expect(asked[0]!.texts).toEqual(["clients/dc01", "acme/tools"]);
  });

  it("asks nothing without a client, without a caller to act for, or with nothing to look in", async () => {
    const { infra, asked } = fakeInfra([makeHost()]);
    const hosts = createHostRecall({ infra, read: fakeRead(), logger: fakeLogger().logger });
    expect(await hosts(caller, request({ scope: { cwd: "/home/ana/dc01" } }))).toEqual([]);
    expect(await hosts(undefined, request())).toEqual([]);
    expect(await hosts({ requestId: "r" }, request())).toEqual([]);
    expect(await hosts(caller, request({ query: "", scope: { clientId: client } }))).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("leaves out hosts already injected, and reads no failures then", async () => {
    const { infra } = fakeInfra([makeHost()]);
    const read = fakeRead();
    const hosts = createHostRecall({ infra, read, logger: fakeLogger().logger });
    expect(await hosts(caller, request({ excludeShortIds: new Set([hostShortId(makeHost().id)]) }))).toEqual([]);
    expect(read.statements).toEqual([]);
  });

  it("never fails the recall: an away infra service means no host lines, and a pause before asking again", async () => {
    let clock = 1_000;
    const { infra, asked } = fakeInfra([], new HostBudgetExceeded(300));
    const log = fakeLogger();
    const hosts = createHostRecall({ infra, read: fakeRead(), logger: log.logger, now: () => clock });
    expect(await hosts(caller, request())).toEqual([]);
    expect(await hosts(caller, request())).toEqual([]);
    expect(asked).toHaveLength(1);
    clock += hostBackoffMs;
    expect(await hosts(caller, request())).toEqual([]);
    expect(asked).toHaveLength(2);
    expect(log.lines.map((line) => line.level)).toEqual(["debug", "debug"]);

    const unavailable = fakeInfra([], new DomainError("unavailable", "infra-service is unavailable; try again shortly"));
    const again = createHostRecall({ infra: unavailable.infra, read: fakeRead(), logger: fakeLogger().logger, now: () => clock });
    expect(await again(caller, request())).toEqual([]);
    expect(await again(caller, request())).toEqual([]);
    expect(unavailable.asked).toHaveLength(1);
  });

  it("warns (at most once a minute) when MatchHosts refuses, logging no more than the error's code and message", async () => {
    let clock = 0;
    const refusal = new DomainError("permission_denied", "role lacks infra read", [], {
      cause: Object.assign(new Error("x"), { metadata: { authorization: "Bearer secret-token" } }),
    });
    const { infra, asked } = fakeInfra([], refusal);
    const log = fakeLogger();
    const hosts = createHostRecall({ infra, read: fakeRead(), logger: log.logger, now: () => clock });
    expect(await hosts(caller, request())).toEqual([]);
    clock += 1_000;
    expect(await hosts(caller, request())).toEqual([]);
    expect(asked).toHaveLength(2); // not a pause: the next user may be allowed
    expect(log.lines.map((line) => line.level)).toEqual(["warn", "debug"]);
    expect(JSON.stringify(log.lines)).not.toContain("secret-token");
    expect(log.lines[0]!.fields).toMatchObject({ err: { code: "permission_denied", message: "role lacks infra read" } });
  });

  it("still writes the host lines when the failure patterns cannot be read", async () => {
    const { infra } = fakeInfra([makeHost()]);
    const read = (() => Promise.reject(new Error("database gone"))) as unknown as ReadRows;
    const log = fakeLogger();
    const hosts = createHostRecall({ infra, read, logger: log.logger });
    const entries = await hosts(caller, request());
    expect(entries).toHaveLength(1);
    expect(entries[0]!.line).not.toContain("known failures");
    expect(log.lines.map((line) => line.level)).toEqual(["warn"]);
  });

  it("shows each host once and at most three", async () => {
    const many = Array.from({ length: 5 }, (_, i) => makeHost({ id: `01900000-0000-7000-8000-00000000000${i}`, hostname: `web0${i}` }));
    const { infra } = fakeInfra([many[0]!, many[0]!, ...many]);
    const hosts = createHostRecall({ infra, read: fakeRead(), logger: fakeLogger().logger });
    expect((await hosts(caller, request())).map((entry) => entry.hostname)).toEqual(["web00", "web01", "web02"]);
  });
});

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mspPaths } from "../local/msp-home";
import type { FakeGateway, Route } from "../test-support/fake-gateway";
import { captured, fakeGateway, machineHome, machineKey, msp, noTerminal, withExitCode } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import type { AuditDeps } from "./audit";
import { auditEventsCommand, auditExportCommand, auditPruneCommand, auditPublicKeyCommand, auditVerifyCommand } from "./audit";
import {
  auditEventTable,
  auditFilter,
  auditStatusLines,
  enumLabel,
  problemInWords,
  seqOf,
  seqRange,
  timeOptionOf,
  verdictLines,
  verdictOf,
  wholeNumberOf,
} from "./audit-format";

const event = {
  id: "01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b",
  seq: "42",
  occurredAt: "2026-12-01T10:00:12.345Z",
  service: "vault-service",
  method: "msp.vault.v1.CredentialService/RevealCredential",
  principal: "mike",
  resourceType: "credential",
  resourceId: "01938a2b-0000-7000-8000-000000000001",
  action: "AUDIT_ACTION_REVEAL",
  outcome: "AUDIT_OUTCOME_OK",
  requestSummary: { reason: "reset the backup job" },
  sourceIp: "10.0.0.5",
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
  chainedAt: "2026-12-01T10:00:13Z",
};

const pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

const intact = {
  ok: true,
  checkedEvents: "1200",
  checkedCheckpoints: "2",
  firstSeq: "1",
  lastSeq: "1200",
  lastCheckpointSeq: "1000",
  unanchoredEvents: "200",
};

const broken = {
  ok: false,
  checkedEvents: "41",
  checkedCheckpoints: "0",
  firstSeq: "1",
  lastSeq: "41",
  failure: { seq: "42", problem: "VERIFY_PROBLEM_HASH_MISMATCH", detail: "stored hash bbbb..., computed cccc..." },
};

/** The audit service's answers, as the gateway gives them. */
const auditRoutes: Route = ({ method, path, query }) => {
  if (method === "GET" && path === "/api/v1/auditEvents") return { json: { auditEvents: [event], nextPageToken: "" } };
  if (method === "POST" && path === "/api/v1/auditEvents:verify") return { json: intact };
  if (method === "GET" && path === "/api/v1/auditKeys")
    return { json: { publicKeyPem: pem, publicKeyId: "0123456789abcdef", hmacKeyId: "fedcba9876543210", anchorSeq: "0", anchorHash: "" } };
  if (method === "GET" && path === "/api/v1/auditEvents:export") {
    const header = JSON.stringify({ type: "header", format: "msp-audit-export/1" });
    const line = (seq: number) => JSON.stringify({ type: "event", seq, prevHash: "0".repeat(64), hash: "1".repeat(64) });
    if (!query.get("pageToken")) return { json: { lines: [header, line(1), line(2)], nextPageToken: "p2" } };
    return { json: { lines: [line(3), JSON.stringify({ type: "checkpoint", seq: 3, signature: "c2ln" })], nextPageToken: "" } };
  }
  if (method === "POST" && path === "/api/v1/auditEvents:prune") return { json: { prunedEvents: "1000", anchorSeq: "1000", detail: "" } };
  if (method === "GET" && path === "/api/v1/audit:status")
    return {
      json: {
        headSeq: "1200",
        headHash: "b".repeat(64),
        outboxPending: "3",
        lastCheckpointSeq: "1000",
        lastCheckpointAt: "2026-12-01T10:00:00.250Z",
        drainHolder: "audit-1",
        drainLeaseUntil: "2026-12-01T10:00:30Z",
      },
    };
  return undefined;
};

const deps = (fields: Partial<AuditDeps> = {}): AuditDeps => ({
  secrets: noTerminal(),
  env: {},
  ask: () => Promise.reject(new Error("no question expected")),
  now: () => 0,
  sleep: () => Promise.resolve(),
  ...fields,
});

let gateway: FakeGateway;
let home: string;

beforeEach(async () => {
  gateway = await fakeGateway(auditRoutes);
  home = machineHome(gateway.url);
});

afterEach(() => gateway.close());

async function replaceGateway(route: Route): Promise<void> {
  await gateway.close();
  gateway = await fakeGateway(route);
  home = machineHome(gateway.url);
}

describe("audit options", () => {
  it("reads a seq as a whole number of 1 or more, and a range with --from not after --to", () => {
    expect(seqOf("17", "--from")).toBe(17);
    expect(seqOf(undefined, "--from")).toBeUndefined();
    for (const bad of ["0", "-3", "1.5", "ten", "", "99999999999999999"])
      expect(() => seqOf(bad, "--from")).toThrow(new RegExp(`--from: "${bad}" is not a seq`));
    expect(seqRange({})).toEqual({});
    expect(seqRange({ from: "10", to: "20" })).toEqual({ fromSeq: 10, toSeq: 20 });
    expect(seqRange({ to: "5" })).toEqual({ toSeq: 5 });
    expect(() => seqRange({ from: "20", to: "10" })).toThrow(/--from 20 comes after --to 10/);
  });

  it("reads whole numbers within their bounds", () => {
    expect(wholeNumberOf("30", "--older-than-days", 1, 1000, "a number of days")).toBe(30);
    expect(wholeNumberOf(undefined, "--limit", 1, 10, "x")).toBeUndefined();
    expect(() => wholeNumberOf("0", "--older-than-days", 1, 1000, "a number of days")).toThrow(
      /--older-than-days: "0" is not a number of days \(a whole number, 1-1000\)/,
    );
    expect(() => wholeNumberOf("2x", "--limit", 1, 10, "a number of events")).toThrow(/--limit: "2x" is not a number of events/);
  });

  it("reads a date as midnight UTC and an RFC 3339 time with its offset; anything else names the option", () => {
    expect(timeOptionOf("2026-12-01", "--since")).toEqual({ time: Date.parse("2026-12-01T00:00:00Z"), day: true });
    expect(timeOptionOf("2026-12-01T09:30:00Z", "--since")).toEqual({ time: Date.parse("2026-12-01T09:30:00Z"), day: false });
    expect(timeOptionOf(" 2026-12-01T10:30:00.5+01:00 ", "--until")).toEqual({ time: Date.parse("2026-12-01T09:30:00.500Z"), day: false });
    expect(timeOptionOf("2026-12-01t09:30z", "--since").time).toBe(Date.parse("2026-12-01T09:30:00Z"));
    for (const bad of ["yesterday", "2026-02-30", "2026-13-01", "2026-12-01T09:30:00", "12/01/2026", "2026-12-01T25:00:00Z", ""])
      expect(() => timeOptionOf(bad, "--since")).toThrow(
        new RegExp(`^--since: "${bad}" is not a date \\(such as 2026-12-01, or 2026-12-01T09:30:00Z with its offset\\)$`),
      );
  });

  it("builds the List filter from the options, joined with AND; --until a day includes that day", () => {
    expect(auditFilter({})).toBe("");
    expect(
      auditFilter({
        principal: "mike",
        type: "credential",
        resource: "r1",
        action: "REVEAL",
        outcome: "AUDIT_OUTCOME_DENIED",
        since: "2026-12-01",
        until: "2026-12-02",
        filter: 'service = "vault-service"',
      }),
    ).toBe(
      'principal = "mike" AND resource_type = "credential" AND resource_id = "r1" AND action = "reveal" AND outcome = "denied"' +
        ' AND occurred_at >= "2026-12-01T00:00:00Z" AND occurred_at < "2026-12-03T00:00:00Z" AND service = "vault-service"',
    );
    expect(auditFilter({ until: "2026-12-01T10:30:00+01:00" })).toBe('occurred_at <= "2026-12-01T09:30:00Z"');
    expect(auditFilter({ principal: 'a"b' })).toBe('principal = "a\\"b"');
    expect(auditFilter({ since: "2026-12-01", until: "2026-12-01" })).toContain('occurred_at < "2026-12-02T00:00:00Z"');
    expect(() => auditFilter({ since: "2026-12-02", until: "2026-12-01" })).toThrow(/--since 2026-12-02 comes after --until 2026-12-01/);
    expect(() => auditFilter({ action: "erase" })).toThrow(
      /--action: "erase" is not an audit action \(one of create, update, delete, reveal, login, logout, revoke, other\)/,
    );
    expect(() => auditFilter({ outcome: "success" })).toThrow(/--outcome: "success" is not an outcome \(one of ok, denied, failed\)/);
    expect(() => auditFilter({ since: "last week" })).toThrow(/--since: "last week" is not a date/);
    expect(() => auditFilter({ principal: " " })).toThrow(/--principal: give a value/);
  });

  it("prints events as a table with their seq, time, principal, action, resource, outcome and method", () => {
    const lines = auditEventTable([
      event,
      {
        id: "x",
        seq: 7,
        occurredAt: "2026-11-30T08:00:00Z",
        principal: "LAPTOP-3",
        action: "AUDIT_ACTION_LOGIN",
        outcome: "AUDIT_OUTCOME_DENIED",
      },
    ]);
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+PRINCIPAL\s+ACTION\s+RESOURCE\s+OUTCOME\s+METHOD$/);
    expect(lines[1]).toMatch(
      /^42\s+2026-12-01T10:00:12Z\s+mike\s+reveal\s+credential\/01938a2b-0000-7000-8000-000000000001\s+ok\s+msp\.vault\.v1\.CredentialService\/RevealCredential$/,
    );
    expect(lines[2]).toMatch(/^7\s+2026-11-30T08:00:00Z\s+LAPTOP-3\s+login\s+-\s+denied\s+-$/);
    // Columns line up.
    expect(lines[1]!.indexOf("mike")).toBe(lines[0]!.indexOf("PRINCIPAL"));
    expect(lines[2]!.indexOf("denied")).toBe(lines[0]!.indexOf("OUTCOME"));
    expect(auditEventTable([])).toEqual(["No audit events match."]);
    expect(enumLabel("AUDIT_ACTION_UNSPECIFIED", "AUDIT_ACTION_")).toBe("-");
    expect(enumLabel("SOMETHING_NEW", "AUDIT_ACTION_")).toBe("SOMETHING_NEW");
  });

  it("says whether the chain is intact, or where it broke and why", () => {
    expect(verdictLines(verdictOf(intact))).toEqual([
      "chain intact: 1200 events, 2 checkpoints (seq 1-1200)",
      "200 events after the last checkpoint (seq 1000) are protected by the HMAC chain only, until the next checkpoint signs them",
    ]);
    expect(verdictLines(verdictOf({ ok: true, checkedEvents: "1", checkedCheckpoints: "1", firstSeq: "5", lastSeq: "5" }))).toEqual([
      "chain intact: 1 event, 1 checkpoint (seq 5-5)",
    ]);
    expect(verdictLines(verdictOf({ ok: true }))).toEqual(["chain intact: 0 events, 0 checkpoints"]);
    expect(verdictLines(verdictOf(broken))).toEqual([
      "chain BROKEN at seq 42: an event does not match its hash (it was edited, or the HMAC key is not the chain's): stored hash bbbb..., computed cccc...",
    ]);
    expect(problemInWords("VERIFY_PROBLEM_SEQ_GAP")).toBe("seqs are missing (events were deleted)");
    expect(problemInWords("broken_link")).toMatch(/does not link to the hash of the event before it/);
    expect(problemInWords("VERIFY_PROBLEM_SOMETHING_NEW")).toBe("VERIFY_PROBLEM_SOMETHING_NEW");
  });

  it("prints the drain's status", () => {
    const lines = auditStatusLines({
      headSeq: "1200",
      headHash: "ab",
      outboxPending: "1",
      lastCheckpointSeq: "1000",
      lastCheckpointAt: "2026-12-01T10:00:00.250Z",
      drainHolder: "audit-1",
      drainLeaseUntil: "2026-12-01T10:00:30Z",
    });
    expect(lines).toEqual([
      "Head        seq 1200 (hash ab)",
      "Outbox      1 row waiting to be chained",
      "Checkpoint  seq 1000, signed 2026-12-01T10:00:00Z (200 events after it not signed yet)",
      "Drain       held by audit-1 until 2026-12-01T10:00:30Z",
    ]);
    expect(auditStatusLines({})).toEqual([
      "Head        no events chained yet",
      "Outbox      0 rows waiting to be chained",
      "Checkpoint  none signed yet",
      "Drain       no instance holds the lease",
    ]);
  });
});

describe("msp audit over REST", () => {
  it("events sends the filter, newest first, and prints a table or JSON", async () => {
    const { stdout } = await captured(() => auditEventsCommand({ home, principal: "mike", since: "2026-12-01" }, deps()));
    expect(gateway.seen).toHaveLength(1);
    const [request] = gateway.seen;
    expect(request).toMatchObject({ method: "GET", path: "/api/v1/auditEvents", authorization: `Bearer ${machineKey}` });
    expect(request!.query.get("filter")).toBe('principal = "mike" AND occurred_at >= "2026-12-01T00:00:00Z"');
    expect(request!.query.get("orderBy")).toBe("seq desc");
    expect(request!.query.get("pageSize")).toBe("50");
    expect(stdout).toMatch(/^SEQ\s+TIME/);
    expect(stdout).toMatch(/^42\s+2026-12-01T10:00:12Z\s+mike\s+reveal/m);

    const json = await captured(() => auditEventsCommand({ home, json: true, oldestFirst: true }, deps()));
    expect(JSON.parse(json.stdout)).toEqual({ auditEvents: [event] });
    expect(gateway.seen[1]!.query.get("orderBy")).toBe("seq");
  });

  it("events follows next_page_token up to --limit", async () => {
    await replaceGateway(({ query }) => {
      const size = Number(query.get("pageSize"));
      const start = query.get("pageToken") ? Number(query.get("pageToken")) : 1000;
      const auditEvents = Array.from({ length: size }, (_, i) => ({ ...event, seq: String(start - i) }));
      return { json: { auditEvents, nextPageToken: String(start - size) } };
    });
    const { stdout } = await captured(() => auditEventsCommand({ home, json: true, limit: "700" }, deps()));
    const { auditEvents } = JSON.parse(stdout) as { auditEvents: { seq: string }[] };
    expect(auditEvents).toHaveLength(700);
    expect(auditEvents[699]!.seq).toBe("301");
    expect(gateway.seen.map((seen) => [seen.query.get("pageToken"), seen.query.get("pageSize")])).toEqual([
      [null, "500"],
      ["500", "200"],
    ]);
  });

  it("events checks its options before signing in", async () => {
    await expect(auditEventsCommand({ home, since: "2026-12-45" }, deps())).rejects.toThrow(/--since: "2026-12-45" is not a date/);
    await expect(auditEventsCommand({ home, limit: "0" }, deps())).rejects.toThrow(/--limit: "0" is not a number of events/);
    await expect(auditEventsCommand({ home, action: "nuke" }, deps())).rejects.toThrow(/--action: "nuke" is not an audit action/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("verify asks the server over the range and prints that the chain is intact", async () => {
    const result = await withExitCode(() => auditVerifyCommand({ home, from: "1", to: "1200" }, deps()));
    expect(gateway.seen[0]).toMatchObject({ method: "POST", path: "/api/v1/auditEvents:verify", body: { fromSeq: "1", toSeq: "1200" } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^chain intact: 1200 events, 2 checkpoints \(seq 1-1200\)\n/);

    await withExitCode(() => auditVerifyCommand({ home }, deps()));
    expect(gateway.seen[1]!.body).toEqual({});
  });

  it("verify of a broken chain prints where and why, and exits 1 (also with --json)", async () => {
    await replaceGateway(() => ({ json: broken }));
    const human = await msp(["audit", "verify", "--home", home]);
    expect(human).toEqual({
      stdout:
        "chain BROKEN at seq 42: an event does not match its hash (it was edited, or the HMAC key is not the chain's): stored hash bbbb..., computed cccc...\n",
      stderr: "",
      exitCode: 1,
    });
    const json = await msp(["audit", "verify", "--json", "--home", home]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      checkedEvents: 41,
      failure: { seq: 42, problem: "VERIFY_PROBLEM_HASH_MISMATCH", detail: "stored hash bbbb..., computed cccc..." },
    });
  });

  it("verify refuses keys without --file, a range with --file, and --file without keys", async () => {
    await expect(auditVerifyCommand({ home, hmacKeyFile: "k" }, deps())).rejects.toThrow(
      /--hmac-key-file and --public-key-file go with --file/,
    );
    await expect(auditVerifyCommand({ home, file: "x", from: "3" }, deps())).rejects.toThrow(/an export file is verified whole/);
    await expect(auditVerifyCommand({ home, file: "x", hmacKeyFile: "k" }, deps())).rejects.toThrow(
      /--file needs the chain's keys: --hmac-key-file FILE .* and --public-key-file FILE/,
    );
    await expect(auditVerifyCommand({ home, from: "x" }, deps())).rejects.toThrow(/--from: "x" is not a seq/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("export pages the lines into a new file with mode 0600 and counts what it wrote", async () => {
    const out = join(tempDir("msp-export-"), "audit.jsonl");
    const { stdout } = await captured(() => auditExportCommand({ home, out, from: "1", pageSize: "2" }, deps()));
    expect(gateway.seen.map((seen) => seen.query.toString())).toEqual(["fromSeq=1&pageSize=2", "fromSeq=1&pageSize=2&pageToken=p2"]);
    const lines = readFileSync(out, "utf8").split("\n");
    expect(lines).toHaveLength(6); // five lines and the final newline
    expect(lines[5]).toBe("");
    expect(JSON.parse(lines[0]!)).toEqual({ type: "header", format: "msp-audit-export/1" });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(stdout).toContain(`Wrote 5 lines (3 events, 1 checkpoint) to ${out} (mode 0600).`);
    expect(stdout).toContain(`msp audit verify --file ${out} --hmac-key-file KEY --public-key-file PEM`);
  });

  it("export refuses to overwrite a file unless --force, and leaves nothing behind when it fails", async () => {
    const folder = tempDir("msp-export-");
    const out = join(folder, "audit.jsonl");
    writeFileSync(out, "keep me\n", { mode: 0o644 });
    await expect(auditExportCommand({ home, out }, deps())).rejects.toThrow(
      /--out: .*audit\.jsonl already exists; add --force to overwrite it/,
    );
    expect(readFileSync(out, "utf8")).toBe("keep me\n");
    expect(gateway.seen).toHaveLength(0);

    await captured(() => auditExportCommand({ home, out, force: true }, deps()));
    expect(readFileSync(out, "utf8").split("\n")).toHaveLength(6);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    await replaceGateway((seen) =>
      seen.query.get("pageToken") ? { status: 503, json: { code: "unavailable", message: "down" } } : auditRoutes(seen),
    );
    const failed = join(folder, "failed.jsonl");
    await expect(auditExportCommand({ home, out: failed }, deps())).rejects.toThrow(/503/);
    expect(existsSync(failed)).toBe(false);
    expect(readdirSync(folder)).toEqual(["audit.jsonl"]);

    await expect(auditExportCommand({ home }, deps())).rejects.toThrow(/--out FILE is required/);
    await expect(auditExportCommand({ home, out: join(folder, "no", "such", "x.jsonl") }, deps())).rejects.toThrow(
      /--out: there is no folder/,
    );
  });

  it("public-key prints the PEM alone on stdout and the ids on stderr, or writes it to a file", async () => {
    const printed = await captured(() => auditPublicKeyCommand({ home }, deps()));
    expect(printed.stdout).toBe(pem);
    expect(printed.stderr).toContain("public key id  0123456789abcdef");
    expect(printed.stderr).toContain("hmac key id    fedcba9876543210");
    expect(printed.stderr).toContain("anchor         none (nothing was pruned: the chain starts at seq 1)");

    const out = join(tempDir("msp-key-"), "audit.pem");
    const written = await captured(() => auditPublicKeyCommand({ home, out }, deps()));
    expect(readFileSync(out, "utf8")).toBe(pem);
    expect(written.stdout).toContain(`Public key written to ${out}.`);
    await expect(auditPublicKeyCommand({ home, out }, deps())).rejects.toThrow(/already exists; add --force/);
  });

  it("status prints the head, the outbox, the last checkpoint and the drain", async () => {
    const result = await msp(["audit", "status", "--home", home]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Head\s+seq 1200 \(hash b{64}\)$/m);
    expect(result.stdout).toMatch(/^Outbox\s+3 rows waiting to be chained$/m);
    expect(gateway.seen[0]).toMatchObject({ method: "GET", path: "/api/v1/audit:status" });
  });

  it("prune without --yes asks on a terminal and goes on only for yes", async () => {
    const questions: string[] = [];
    const terminal = (answer: string): Partial<AuditDeps> => ({
      secrets: { ...noTerminal(), stdinIsTTY: true },
      ask: (text) => {
        questions.push(text);
        return Promise.resolve(answer);
      },
    });
    await expect(auditPruneCommand({ home, olderThanDays: "365" }, deps(terminal("no")))).rejects.toThrow(/^nothing was pruned$/);
    expect(gateway.seen).toHaveLength(0);
    expect(questions[0]).toMatch(/^Delete the audit events older than 365 days for good .* Type yes to go on: $/);

    const { stdout } = await captured(() => auditPruneCommand({ home, olderThanDays: "365" }, deps(terminal("YES"))));
    expect(gateway.seen[0]).toMatchObject({ method: "POST", path: "/api/v1/auditEvents:prune", body: { olderThanDays: 365 } });
    expect(stdout).toBe("Pruned 1000 events; the chain now starts after the checkpoint at seq 1000.\n");
  });

  it("prune refuses without a terminal and without --yes, and checks --older-than-days", async () => {
    const result = await msp(["audit", "prune", "--older-than-days", "30", "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: pruning deletes audit events for good: add --yes to prune without a terminal to confirm on\n$/);
    await expect(auditPruneCommand({ home }, deps())).rejects.toThrow(/--older-than-days N is required/);
    await expect(auditPruneCommand({ home, olderThanDays: "0", yes: true }, deps())).rejects.toThrow(
      /--older-than-days: "0" is not a number of days/,
    );
    expect(gateway.seen).toHaveLength(0);

    await replaceGateway(() => ({ json: { prunedEvents: "0", anchorSeq: "0", detail: "no checkpoint is older than 30 days" } }));
    const nothing = await msp(["audit", "prune", "--older-than-days", "30", "--yes", "--home", home]);
    expect(nothing).toEqual({ stdout: "Nothing was pruned: no checkpoint is older than 30 days\n", stderr: "", exitCode: 0 });
  });

  it("signs in like msp cred: MSP_TOKEN, or --user with MSP_PASSWORD", async () => {
    await captured(() => auditEventsCommand({ home }, deps({ env: { MSP_TOKEN: "admin-token" } })));
    expect(gateway.seen[0]!.authorization).toBe("Bearer admin-token");

    await replaceGateway((seen) =>
      seen.path === "/api/v1/auth/token" ? { json: { accessToken: "user-access-token" } } : auditRoutes(seen),
    );
    await captured(() => auditEventsCommand({ home, user: "mike" }, deps({ env: { MSP_PASSWORD: "pw" } })));
    expect(gateway.seen[0]).toMatchObject({ path: "/api/v1/auth/token", body: { username: "mike", password: "pw" } });
    expect(gateway.seen[1]!.authorization).toBe("Bearer user-access-token");
    await expect(auditEventsCommand({ home, user: "mike" }, deps())).rejects.toThrow(/no terminal to ask for the password on/);
  });

  it.each([
    [
      "the API key lacks scope audit:read",
      /lacks scope audit:read \(the machine key msp setup stored carries only the hooks' scopes: add --user NAME \(an admin\), or set MSP_TOKEN to an admin's token or API key with audit scopes/,
    ],
    [
      "only admins can call msp.audit.v1.AuditService/ListAuditEvents",
      /only admins can call .* \(the machine key msp setup stored .*add --user NAME/,
    ],
  ])("a 403 for the machine key (%s) says to use --user or MSP_TOKEN with audit scopes", async (message, expected) => {
    await replaceGateway(() => ({ status: 403, json: { code: "permission_denied", message } }));
    const result = await msp(["audit", "events", "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: permission denied: /);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/vault/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(mspPaths(home).log)).toBe(false);

    // With MSP_TOKEN the refusal is the platform's alone.
    process.env["MSP_TOKEN"] = "someone-else";
    try {
      const withToken = await msp(["audit", "events", "--home", home]);
      expect(withToken.stderr).toBe(`msp: permission denied: ${message}\n`);
    } finally {
      delete process.env["MSP_TOKEN"];
    }
  });

  it("needs msp setup, except for verify --file", async () => {
    const empty = tempDir("msp-empty-");
    const result = await msp(["audit", "events", "--home", empty]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: this machine is not set up/);
  });

  it("the help lists the audit commands and how they sign in", async () => {
    const { stdout } = await msp(["audit", "--help"]);
    for (const command of ["events", "verify", "export", "public-key", "status", "prune"])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    expect(stdout).toContain("MSP_TOKEN");
    const verify = await msp(["audit", "verify", "--help"]);
    for (const option of ["--from", "--to", "--file", "--hmac-key-file", "--public-key-file", "--user", "--json"])
      expect(verify.stdout).toContain(option);
  });
});

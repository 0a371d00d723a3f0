import { footerLine, fullText, headerLine, itemLine, oneLine, stateDetailLines, trimTo } from "./format";
import { makeCandidate } from "./testing";

describe("itemLine", () => {
  it("is `- [<kind> <short_id> <YYYY-MM-DD> <machine_name>] <title>: <summary>` on one line", () => {
    const candidate = makeCandidate({
      kind: "decision",
      title: "Use Caddy",
      body: "automatic TLS;\nsimpler config\tthan nginx",
      time: new Date("2026-11-20T23:59:00Z"),
      machineName: "LAPTOP-3",
    });
    expect(itemLine(candidate, "abcdefgh", 500)).toBe(
      "- [decision abcdefgh 2026-11-20 LAPTOP-3] Use Caddy: automatic TLS; simpler config than nginx",
    );
  });

  it("says a title once when the body repeats it, and does not put a colon after a full stop", () => {
    const repeat = makeCandidate({ title: "ssh web01 'sudo nginx -t'", body: "ssh web01 'sudo nginx -t' # ok after 1 failed run" });
    expect(itemLine(repeat, "abcdefgh", 500)).toMatch(/\] ssh web01 'sudo nginx -t': ok after 1 failed run$/);
    const sentence = makeCandidate({ title: "Unit nginx.service could not be found.", body: "Cause: not installed" });
    expect(itemLine(sentence, "abcdefgh", 500)).toMatch(/\] Unit nginx\.service could not be found\. Cause: not installed$/);
    expect(itemLine(makeCandidate({ title: "Same", body: "same" }), "abcdefgh", 500)).toMatch(/\] Same$/);
  });

  it("says a title once when the body repeats it behind a heading mark or a label", () => {
    const heading = makeCandidate({ title: "Deploy the API", body: "# Deploy the API session 1a2b | cwd /srv/api" });
    expect(itemLine(heading, "abcdefgh", 500)).toMatch(/\] Deploy the API: session 1a2b \| cwd \/srv\/api$/);
    const labelled = makeCandidate({
      title: "`make` failed: no rule for target",
      body: "Problem: `make` failed: no rule for target Fix: `make all`",
    });
    expect(itemLine(labelled, "abcdefgh", 500)).toMatch(/\] `make` failed: no rule for target: Fix: `make all`$/);
    const reason = makeCandidate({
      kind: "decision",
      title: "user: no browser terminal, as it is not secure",
      body: "as it is not secure",
    });
    expect(itemLine(reason, "abcdefgh", 500)).toMatch(/\] user: no browser terminal, as it is not secure$/);
    const other = makeCandidate({ title: "nginx", body: "Cause: nginx was not installed" });
    expect(itemLine(other, "abcdefgh", 500)).toMatch(/\] nginx: Cause: nginx was not installed$/);
  });

  it("leaves out an unknown machine and keeps the tag parseable when the name has spaces or brackets", () => {
    expect(itemLine(makeCandidate({ machineName: null, title: "T", body: "" }), "abcdefgh", 500)).toMatch(
      /^- \[context abcdefgh \d{4}-\d\d-\d\d\] T$/,
    );
    expect(itemLine(makeCandidate({ machineName: "Ana's PC ]x", title: "T", body: "" }), "abcdefgh", 500)).toContain("Ana's_PC_x]");
  });

  it("renders a known failure pattern as `known issue: <error_pattern> -> fix: <recommended_solution>`", () => {
    const pattern = makeCandidate({
      kind: "failure_pattern",
      title: "Get-LocalUser missing",
      errorPattern: "Get-LocalUser : The term 'Get-LocalUser' is not recognized",
      recommendedSolution: "use `net user` on PowerShell 2.0 hosts",
      occurrenceCount: 4,
    });
    expect(itemLine(pattern, "abcdefgh", 500)).toMatch(
      /^- \[failure_pattern abcdefgh [\d-]+ LAPTOP-3\] known issue: Get-LocalUser : The term 'Get-LocalUser' is not recognized -> fix: use `net user` on PowerShell 2\.0 hosts$/,
    );
  });

  it("renders a credential reference as its pointer (name, what for, reveal command), never its own text", () => {
    const id = "0190f5c8-0000-7000-8000-0000000000d1";
    const pointer = makeCandidate({
      kind: "snippet",
      title: "Credential for administrator@dc01: DC01 admin",
      body: "whatever was written here",
      credential: { id, name: "DC01 admin", host: "dc01", username: "administrator", type: "password" },
    });
    expect(itemLine(pointer, "abcdefgh", 500)).toBe(
      `- [snippet abcdefgh 2026-11-26 LAPTOP-3] vault credential "DC01 admin" (password for administrator@dc01); the secret is never in memory: msp cred reveal ${id} --reason "<why you need it>"`,
    );
    expect(fullText(pointer, "abcdefgh")).toContain(`msp cred reveal ${id}`);
  });

  it("is trimmed with an ellipsis to the maximum asked", () => {
    const line = itemLine(makeCandidate({ body: "x".repeat(1000) }), "abcdefgh", 120);
    expect(line).toHaveLength(120);
    expect(line.endsWith("…")).toBe(true);
  });
});

describe("trimTo / oneLine", () => {
  it("never splits a surrogate pair and never exceeds the maximum", () => {
    const text = "ab😀😀😀cd";
    for (let max = 0; max <= text.length + 1; max++) {
      const trimmed = trimTo(text, max);
      expect(trimmed.length).toBeLessThanOrEqual(max);
      expect(trimmed).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    expect(trimTo(text, 100)).toBe(text);
  });

  it("collapses whitespace and control characters", () => {
    expect(oneLine(" a\r\n\tb\u0000c\u2028d  ")).toBe("a b c d");
  });
});

describe("header, footer, state details and full text", () => {
  it("names project and client in the header and the recall command in the footer", () => {
    expect(headerLine({ project: "github.com/acme/app", client: "Acme" })).toContain("(project github.com/acme/app, client Acme)");
    expect(headerLine({})).toMatch(/^# Memory from earlier sessions;/);
    expect(footerLine("abcdefgh")).toBe("Full item: msp recall --id abcdefgh");
  });

  it("lists next actions numbered, then blockers", () => {
    const state = makeCandidate({ kind: "project_state", nextActions: ["deploy", " ", "tell client"], blockers: ["waiting for DNS"] });
    expect(stateDetailLines(state)).toEqual(["  next actions: 1) deploy; 2) tell client", "  blockers: waiting for DNS"]);
    expect(stateDetailLines(makeCandidate())).toEqual([]);
  });

  it("gives the whole item, untrimmed, in the full text", () => {
    const body = "line one\nline two " + "y".repeat(2000);
    const text = fullText(makeCandidate({ title: "Title", body, tags: ["nginx", "ssl"] }), "abcdefgh");
    expect(text).toContain(body);
    expect(text).toContain("tags: nginx, ssl");
    expect(text.split("\n")[0]).toMatch(/^\[context abcdefgh [\d-]+ LAPTOP-3\] Title$/);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compressTranscript, summaryTokenBudget } from "./compress-transcript";
import { countTokens } from "./count-tokens";
import { parseTranscript } from "./parse-transcript";

const events = (name: string) => parseTranscript(readFileSync(join(__dirname, "fixtures", name), "utf8")).events;
const deploy = events("deploy-session.jsonl");

// The secrets planted in the fixture: a sudo password in the prompt, a MySQL password in a
// command, its error output, the assistant's prose and a config file, a token in a todo.
const SECRETS = ["Sup3rS3cret!Pass", "Hunter2Secret", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"];
const redact = (text: string) => SECRETS.reduce((result, secret) => result.split(secret).join("[REDACTED:test]"), text);

describe("compressTranscript on a deployment session", () => {
  const session = compressTranscript(deploy, { redact });

  it("states the goals in the user's words, without filler, continuations or slash commands", () => {
    expect(session.title).toBe("Deploy the acme status page behind nginx on web01.acme.example (10.20.30.40).");
    expect(session.goals).toEqual([
      "Deploy the acme status page behind nginx on web01.acme.example (10.20.30.40). Use the admin password [REDACTED:test] when sudo asks",
      "no flask, keep it a static page served by nginx only",
    ]);
  });

  it("lists files created and changed, relative to the session directory", () => {
    expect(session.filesCreated).toEqual(["nginx/status.conf", "config/db.yml"]);
    expect(session.filesChanged).toEqual(["index.html"]);
  });

  it("keeps commands that changed something, with their outcome, and drops look-arounds", () => {
    // What a command that worked printed in one short line is its note.
    expect(session.commands).toContainEqual({
      command: "sudo systemctl disable --now apache2",
      count: 1,
      ok: true,
      note: "Removed /etc/systemd/system/multi-user.target.wants/apache2.service.",
    });
    expect(session.commands).toContainEqual(
      expect.objectContaining({
        command: expect.stringContaining("certbot --nginx"),
        ok: false,
        note: "exit 1: Challenge failed for domain status.acme.example",
      }),
    );
    expect(session.commands.map((run) => run.command)).not.toContain("ls -la");
  });

  it("writes problems as problem -> cause -> fix -> verify", () => {
    expect(session.problems).toContainEqual({
      problem: expect.stringContaining("bind() to 0.0.0.0:80 failed (98: Address already in use)"),
      cause: "The bind failed because port 80 is already taken by the old apache2 service.",
      fix: "`sudo systemctl disable --now apache2`",
      verify: "`sudo systemctl restart nginx`",
    });
    expect(session.problems).toContainEqual(
      expect.objectContaining({ fix: "wrote config/db.yml", verify: "`mysqladmin --defaults-extra-file=config/db.yml status`" }),
    );
  });

  it("records decisions with their reason, and the approach the user refused as a dead end", () => {
    expect(session.decisions).toContainEqual({
      decision: "I'll stop apache2 and disable it, instead of moving nginx to another port, because the status page must stay on port 80.",
      rationale: "because the status page must stay on port 80.",
      subject: "apache",
    });
    expect(session.deadEnds).toEqual(['user refused Write web_api.py: "no flask, keep it a static page served by nginx only"']);
  });

  it("knows where the session stopped: todo list, next actions, the blocker, the phase", () => {
    expect(session.state.done).toEqual(["Write nginx site config for status page", "Start nginx and verify the page"]);
    expect(session.state.open).toEqual(["(in progress) Add TLS certificate", "Rotate the leaked deploy token [REDACTED:test]"]);
    expect(session.state.nextActions).toEqual([
      "awaiting user: Should I retry certbot once the record exists?",
      "Create the DNS A record status.acme.example -> 10.20.30.40",
      "Rerun certbot --nginx -d status.acme.example",
    ]);
    expect(session.state.blockers).toEqual([expect.stringContaining("Challenge failed for domain status.acme.example")]);
    expect(session.state.phase).toBe("blocked: Add TLS certificate");
  });

  it("finds hosts, services and tags", () => {
    expect(session.hosts).toEqual(expect.arrayContaining(["10.20.30.40", "web01.acme.example"]));
    expect(session.services).toEqual(expect.arrayContaining(["nginx", "apache2"]));
    expect(session.tags).toEqual(expect.arrayContaining(["acme-web", "nginx", "systemd", "10.20.30.40"]));
    expect(session.tags.every((tag) => tag === tag.toLowerCase())).toBe(true);
  });

  it("makes snippets of each category it has material for", () => {
    const categories = new Set(session.snippets.map((snippet) => snippet.category));
    expect([...categories].sort()).toEqual(["command", "configuration", "lesson_learned", "tech_decision"]);
    expect(session.snippets).toContainEqual({
      category: "configuration",
      title: "created nginx/status.conf",
      content: "created nginx/status.conf: status page; listen 80; server_name status.acme.example; root /srv/acme-web",
    });
  });

  it("carries the session's metadata and both token counts", () => {
    expect(session).toMatchObject({
      claudeSessionId: "11111111-2222-4333-8444-555555555555",
      cwd: "/srv/acme-web",
      gitBranch: "main",
      startedAt: "2025-10-02T09:01:00.000Z",
    });
    expect(session.summaryTokens).toBe(countTokens(session.denseSummary));
    expect(session.sourceTokens).toBeGreaterThan(session.summaryTokens);
  });

  it("puts state, blockers and next actions into the dense summary", () => {
    expect(session.denseSummary).toContain("## State at end");
    expect(session.denseSummary).toContain("BLOCKER:");
    expect(session.denseSummary).toContain("next: Create the DNS A record");
    expect(session.denseSummary).toContain("cause: The bind failed because port 80 is already taken");
  });

  it("lets no planted secret into any field", () => {
    const everything = JSON.stringify(session);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).toContain("[REDACTED:test]");
  });

  it("passes every text through the redactor before it is used", () => {
    // A redactor that blanks every lower-case letter: any such letter left in the output came
    // from the compressor's own labels, never from the transcript.
    const blanked = compressTranscript(deploy, { redact: (text) => text.replace(/[a-z]/g, "x") });
    const strings = (value: unknown): string[] =>
      typeof value === "string"
        ? [value]
        : Array.isArray(value)
          ? value.flatMap(strings)
          : typeof value === "object" && value !== null
            ? Object.values(value).flatMap(strings)
            : [];
    const words = strings({ ...blanked, denseSummary: "" }).flatMap((text) => text.match(/[A-Za-z]*[a-wyz][A-Za-z]*/g) ?? []);
    const labels = new Set(
      "wrote created changed edited awaiting user unfinished when the transcript ends failed exit tried refused Write Fix Problem Cause Verify Why reported recap intent fixed earlier decided in progress ok after run runs blocked implementing deploying testing researching discussion done session on API errors then command configuration pattern lesson learned tech decision line lines sections values".split(
        " ",
      ),
    );
    expect(words.filter((word) => !labels.has(word))).toEqual([]);
    expect(blanked.denseSummary).not.toMatch(/nginx|apache|status page|certbot/);
  });

  it("is deterministic", () => {
    expect(compressTranscript(deploy, { redact })).toEqual(session);
  });
});

describe("compressTranscript budgets and edge cases", () => {
  it("keeps the dense summary within the character and token budgets", () => {
    const small = compressTranscript(deploy, { maxSummaryChars: 700, maxSummaryTokens: 150 });
    expect(small.denseSummary.length).toBeLessThanOrEqual(700);
    expect(small.summaryTokens).toBeLessThanOrEqual(150);
    expect(small.denseSummary.startsWith("# Deploy the acme status page")).toBe(true);
  });

  it("holds long sessions to 10% of their source tokens, and gives short ones room", () => {
    expect(summaryTokenBudget(258_160)).toBe(25_816);
    expect(summaryTokenBudget(20_000)).toBe(2_000);
    expect(summaryTokenBudget(1_200)).toBe(600);
    expect(summaryTokenBudget(8_000)).toBe(1_500);
    expect(summaryTokenBudget(0)).toBe(100);
  });

  it("uses a subagent file's own prompt when every record is a sidechain", () => {
    const session = compressTranscript(events("subagent.jsonl"));
    expect(session.goals).toEqual(["Check whether port 8443 is free on the build host"]);
    expect(session.problems).toEqual([]); // grep finding nothing is not a problem
  });

  it("compresses an empty transcript to an empty memory", () => {
    const session = compressTranscript([]);
    expect(session).toMatchObject({ title: "Claude Code session", goals: [], commands: [], problems: [], sourceTokens: 0 });
    expect(session.denseSummary).toBe("# Claude Code session\n## State at end\n- phase: discussion");
  });

  it("refuses bad input with clear errors", () => {
    expect(() => compressTranscript("x" as unknown as [])).toThrow("expects the events");
    expect(() => compressTranscript(deploy, { redact: "no" as unknown as (text: string) => string })).toThrow(
      "options.redact must be a function",
    );
    expect(() => compressTranscript(deploy, { maxSummaryChars: 10 })).toThrow(RangeError);
  });
});

describe("compressTranscript's dense summary", () => {
  /** A session of Bash calls: each its command, output and whether it failed. */
  function bashEvents(prompt: string, calls: readonly [string, string, boolean][]) {
    const base = { isSidechain: false, sessionId: "s1", cwd: "/srv/app" };
    const records: object[] = [
      { ...base, type: "user", uuid: "u0", timestamp: "2026-06-06T06:00:00Z", message: { role: "user", content: prompt } },
    ];
    calls.forEach(([command, output, failed], i) => {
      const at = `2026-06-06T06:${String(10 + i).padStart(2, "0")}`;
      const use = { type: "tool_use", id: `t${i}`, name: "Bash", input: { command } };
      records.push({ ...base, type: "assistant", uuid: `a${i}`, timestamp: `${at}:00Z`, message: { role: "assistant", content: [use] } });
      const result = { type: "tool_result", tool_use_id: `t${i}`, content: output, is_error: failed };
      records.push({ ...base, type: "user", uuid: `r${i}`, timestamp: `${at}:30Z`, message: { role: "user", content: [result] } });
    });
    return parseTranscript(records.map((record) => JSON.stringify(record)).join("\n")).events;
  }

  it("does not list again under Commands a command that a problem's line says whole", () => {
    const summary = compressTranscript(
      bashEvents("deploy the app to web01", [
        ["make deploy", "Error: missing .env file", true],
        ["cp .env.example .env", "", false],
        ["make deploy", "", false],
        ["docker compose up -d --build", "Container app-web-1 Started", false],
      ]),
      // A session this small gets a small token budget: room enough to show every line.
      { maxSummaryTokens: 2_000 },
    ).denseSummary;
    const problems = summary.split("\n").filter((line) => line.startsWith("- ") && line.includes(" -> "));
    expect(problems).toEqual([
      expect.stringMatching(/^- `make deploy` failed: .*missing \.env.* -> fix: `cp \.env\.example \.env` -> verified: `make deploy`$/),
    ]);
    const commands = summary.slice(summary.indexOf("## Commands that mattered"));
    // What the problem does not say stays: the command it does not name, with what it printed.
    expect(commands).toContain("`docker compose up -d --build` ok (Container app-web-1 Started)");
    expect(commands).not.toContain("`make deploy`");
    expect(commands).not.toContain("`cp .env.example .env`");
  });
});

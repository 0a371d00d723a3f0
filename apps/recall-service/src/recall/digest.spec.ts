import { coveredByDigest, digestContexts, digestLines, foldForCoverage, partsCovered } from "./digest";
import { stemOf } from "./terms";
import { headerLine } from "./format";
import { digestShare, pack } from "./pack";
import { rankCandidates } from "./rank";
import { scoringContext } from "./score";
import { daysAgo, makeCandidate, testNow } from "./testing";

const summary = [
  "# Move the mail relay to postfix",
  "session 1a2b3c4d | cwd /srv/mail | branch main",
  "## Goals (user's words)",
  "- move the relay from exim to postfix => Done: postfix relays through smtp.acme.example:587",
  "## Decisions",
  "## Findings (assistant's explanations)",
  "- relayhost = [smtp.acme.example]:587 in /etc/postfix/main.cf; smtp_tls_security_level = encrypt",
  "- the old exim queue held 14 messages: flushed with exim -qff before the switch",
].join("\n");
const scope = { projectId: "project-1", clientId: "client-1" };

describe("digestLines", () => {
  it("drops the title and empty sections, shows headings as labels and items as lines", () => {
    expect(digestLines(summary, new Set())).toEqual([
      "session 1a2b3c4d | cwd /srv/mail | branch main",
      "Goals (user's words):",
      "· move the relay from exim to postfix => Done: postfix relays through smtp.acme.example:587",
      "Findings (assistant's explanations):",
      "· relayhost = [smtp.acme.example]:587 in /etc/postfix/main.cf; smtp_tls_security_level = encrypt",
      "· the old exim queue held 14 messages: flushed with exim -qff before the switch",
    ]);
  });

  it("with query terms keeps the lines naming them, best first, with the neighbour of a match in its section", () => {
    // "queue" names one line, "exim" two: the line naming both comes first; the line next to it
    // (worth half of it) before the line naming only the commoner "exim".
    expect(digestLines(summary, new Set(["exim", "queue"]))).toEqual([
      "· the old exim queue held 14 messages: flushed with exim -qff before the switch",
      "· relayhost = [smtp.acme.example]:587 in /etc/postfix/main.cf; smtp_tls_security_level = encrypt",
      "· move the relay from exim to postfix => Done: postfix relays through smtp.acme.example:587",
    ]);
    expect(digestLines(summary, new Set(["nothing"]))).toEqual([]);
  });

  it("counts a word of the same stem and a part of an identifier as naming a term", () => {
    // One line per section: no line is shown as another's neighbour.
    const lines = [
      "## State at end",
      "- result: verdict=NOT_ROOTABLE; build_type=user",
      "## Problems",
      "- `adb root` FAILED (production build)",
      "## Files",
      "- unrelated",
    ].join("\n");
    expect(digestLines(lines, new Set(["rootable", "image"]))).toEqual([
      "· result: verdict=NOT_ROOTABLE; build_type=user",
      "· `adb root` FAILED (production build)",
    ]);
    expect(digestLines(lines, new Set(["verdicts"]))).toEqual(["· result: verdict=NOT_ROOTABLE; build_type=user"]);
    expect(digestLines("- `git clone https://github.com/newbit1/rootAVD.git` ok\n## Other\n- other", new Set(["rooting", "tool"]))).toEqual(
      ["· `git clone https://github.com/newbit1/rootAVD.git` ok"],
    );
    expect(digestLines(lines, new Set(["fails", "builds"]))).toEqual([
      "· `adb root` FAILED (production build)",
      "· result: verdict=NOT_ROOTABLE; build_type=user",
    ]);
  });
});

describe("stemOf", () => {
  it("folds common endings, keeping at least three letters", () => {
    expect(["rooted", "rootable", "roots", "root"].map(stemOf)).toEqual(["root", "root", "root", "root"]);
    expect(["images", "image"].map(stemOf)).toEqual(["imag", "imag"]);
    expect(stemOf("uses")).toBe("use");
    expect(stemOf("dns")).toBe("dns");
  });
});

describe("digestContexts", () => {
  it("chooses the newest context at session start and the best matches of a query", () => {
    const old = makeCandidate({ title: "old", time: daysAgo(30), importance: 9 });
    const newest = makeCandidate({ title: "newest", time: daysAgo(1) });
    const snippet = makeCandidate({ kind: "snippet", time: testNow });
    const ranked = rankCandidates([old, newest, snippet], scoringContext(scope, "", testNow));
    expect(digestContexts(ranked, false).map((c) => c.title)).toEqual(["newest"]);
    const elsewhere = makeCandidate({ title: "another project", projectId: "project-2", time: testNow });
    const withOther = rankCandidates([old, newest, elsewhere], scoringContext(scope, "", testNow));
    expect(digestContexts(withOther, false, scope).map((c) => c.title)).toEqual(["newest"]);
    expect(digestContexts(withOther, false).map((c) => c.title)).toEqual(["another project"]);
    const hit = makeCandidate({ title: "hit", textRelevance: 0.9 });
    const queried = rankCandidates([old, hit], scoringContext(scope, "postfix", testNow));
    expect(digestContexts(queried, true).map((c) => c.title)).toContain("hit");
    expect(digestContexts(queried, true).every((c) => c.textRelevance > 0)).toBe(true);
  });
});

describe("coveredByDigest", () => {
  it("tells an item the digest already shows from one it does not", () => {
    const folded = foldForCoverage(summary);
    expect(coveredByDigest("relayhost = [smtp.acme.example]:587 in /etc/postfix/main.cf; smtp_tls_security_level", folded)).toBe(true);
    expect(coveredByDigest("the backup job on nas01 fails every sunday at 02:00 with ENOSPC", folded)).toBe(false);
    expect(coveredByDigest("postfix", folded)).toBe(false);
  });

  it("sees through a short lead-in such as a fix's label", () => {
    const folded = foldForCoverage(
      "Problems: `git push origin main` failed: remote: error: File zfs.o is 103 MB -> fix: `git rm --cached zfs.o`",
    );
    expect(coveredByDigest("Fix: `git push origin main` failed: remote: error: File zfs.o is 103 MB", folded)).toBe(true);
    expect(coveredByDigest("Fix in deploy.sh: `git push origin main` failed: remote: error: File zfs.o", folded)).toBe(true);
    expect(coveredByDigest("Fix: `git push origin main` was rejected: non-fast-forward, pull first", folded)).toBe(false);
  });
});

describe("partsCovered", () => {
  it("finds a command's snippet in the digest's line for the command, title and body apart", () => {
    const folded = foldForCoverage(
      "Commands that mattered: `git push origin main` x3 ok (ok after 2 failed runs: To https://git.example/acme)",
    );
    expect(partsCovered("git push origin main", ": ok after 2 failed runs: To https://git.example/acme", folded)).toBe(true);
    expect(partsCovered("git push origin main", "", folded)).toBe(true);
    expect(partsCovered("git push origin main", ": rejected: non-fast-forward", folded)).toBe(false);
    // A short title is a word the digest may use for something else.
    expect(partsCovered("git push", "", folded)).toBe(false);
  });
});

describe("pack with digests", () => {
  it("shows the digest under the session's title after the project state, within its share, and leaves out items it already shows", () => {
    const state = makeCandidate({ kind: "project_state", title: "Project state: testing", body: "" });
    const session = makeCandidate({ title: "Move the mail relay to postfix", body: summary, time: daysAgo(1) });
    const repeated = makeCandidate({
      kind: "snippet",
      title: "relayhost = [smtp.acme.example]:587 in /etc/postfix/main.cf",
      body: "smtp_tls_security_level = encrypt",
      importance: 10,
    });
    const other = makeCandidate({ kind: "decision", title: "Keep exim installed for a week as a fallback", importance: 10 });
    const ranked = rankCandidates([state, session, repeated, other], scoringContext(scope, "", testNow));
    const lines = digestLines(summary, new Set());
    const packed = pack(ranked, {
      budget: { chars: 8_000 },
      header: headerLine({}),
      maxItems: 20,
      digests: new Map([[session.id, lines]]),
    });
    const text = packed.text.split("\n");
    expect(text[1]).toContain("Project state: testing");
    expect(text[2]).toMatch(/\[context \S+ \S+ LAPTOP-3\] Move the mail relay to postfix$/);
    expect(text.slice(3, 3 + lines.length)).toEqual(lines.map((line) => `  ${line}`));
    expect(packed.items.map((item) => item.candidate.id)).toEqual([state.id, session.id, other.id]);

    const small = pack(ranked, { budget: { chars: 600 }, header: headerLine({}), maxItems: 20, digests: new Map([[session.id, lines]]) });
    const digestPart = small.text.split("\n").filter((line) => line.startsWith("  "));
    expect(digestPart.join("\n").length).toBeLessThanOrEqual(600 * digestShare);
    expect(small.text.length).toBeLessThanOrEqual(600);
  });

  it("gives the digest the budget the other items leave unused, and keeps a project state's line short beside it", () => {
    const state = makeCandidate({
      kind: "project_state",
      title: "Project state: testing",
      body: `key files: ${"src/file.ts, ".repeat(80)}`,
    });
    const session = makeCandidate({ title: "Move the mail relay to postfix", body: summary, time: daysAgo(1) });
    const lines = Array.from({ length: 60 }, (_, i) => `· finding ${i}: relayhost port ${i} checked with postconf -n and a test mail`);
    const ranked = rankCandidates([state, session], scoringContext(scope, "", testNow));
    const packed = pack(ranked, {
      budget: { chars: 4_000 },
      header: headerLine({}),
      maxItems: 20,
      digests: new Map([[session.id, lines]]),
    });
    const text = packed.text.split("\n");
    // Nothing else to show: the digest goes on past its share (digestShare of the room), to the end of the budget.
    expect(packed.text.length).toBeLessThanOrEqual(4_000);
    expect(packed.text.length).toBeGreaterThan(4_000 - 80);
    // Each digest line once, in order (the last one may be cut to fit).
    const shown = text.filter((line) => line.startsWith("  · finding")).map((line) => line.trim());
    expect(shown.slice(0, -1)).toEqual(lines.slice(0, shown.length - 1));
    expect(text[1]?.length).toBeLessThanOrEqual(480);
  });

  it("shows a state's next action or blocker once when the digest says it, and the rest of the digest before another project's items", () => {
    const state = makeCandidate({
      kind: "project_state",
      title: "Project state: testing",
      body: "2026-11-25 Move the mail relay to postfix (testing)\n2026-11-20 Set up DKIM signing (done) | key files: /etc/postfix/main.cf, dkim.conf",
      nextActions: ["flush the old exim queue with exim -qff before the switch", "ask the client for the new DKIM key"],
      blockers: ["relayhost = [smtp.acme.example]:587 refuses our TLS certificate"],
    });
    const session = makeCandidate({ title: "Move the mail relay to postfix", body: summary, time: daysAgo(1) });
    const lines = [
      "State at end:",
      "· next: flush the old exim queue with exim -qff before the switch",
      "· BLOCKER: relayhost = [smtp.acme.example]:587 refuses our TLS certificate",
      "Files:",
      "· changed: /etc/postfix/main.cf",
      `· created: ${"src/module.py, ".repeat(30)}dkim.conf`,
      ...Array.from({ length: 40 }, (_, i) => `· finding ${i}: relayhost port ${i} checked with postconf -n and a test mail`),
    ];
    const elsewhere = makeCandidate({
      kind: "decision",
      title: "Use Caddy for the shop's web server",
      projectId: "project-2",
      importance: 10,
    });
    const ranked = rankCandidates([state, session, elsewhere], scoringContext(scope, "", testNow));
    const packed = pack(ranked, {
      budget: { chars: 3_000 },
      header: headerLine({}),
      maxItems: 20,
      digests: new Map([[session.id, lines]]),
    });
    const text = packed.text.split("\n");
    // The state's line keeps what the digest does not say: the older session and its file.
    expect(text[1]).toMatch(/Project state: testing: 2026-11-20 Set up DKIM signing \(done\) \| key files: dkim\.conf$/);
    expect(text[2]).toBe("  next actions: 1) ask the client for the new DKIM key");
    expect(packed.text).not.toContain("blockers:");
    // The digest goes on to the end of the budget before another project's decision.
    expect(packed.text).not.toContain("Use Caddy");
    expect(packed.text.length).toBeGreaterThan(3_000 - 80);
  });
});

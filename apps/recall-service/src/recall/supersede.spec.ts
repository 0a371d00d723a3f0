import { isKnownIssue, supersede } from "./supersede";
import { daysAgo, makeCandidate } from "./testing";

describe("supersede", () => {
  it("a newer decision hides the older one on the same subject", () => {
    const older = makeCandidate({ kind: "decision", title: "Use Traefik", subject: "Reverse proxy", time: daysAgo(10) });
    const newer = makeCandidate({ kind: "decision", title: "Use Caddy instead", subject: "reverse  proxy!", time: daysAgo(1) });
    const other = makeCandidate({ kind: "decision", title: "Use MariaDB", subject: "database", time: daysAgo(20) });
    expect(supersede([older, other, newer])).toEqual([other, newer]);
  });

  it("keeps decisions on the same subject in different projects, and decisions without a subject", () => {
    const a = makeCandidate({ kind: "decision", subject: "proxy", projectId: "project-1", time: daysAgo(10) });
    const b = makeCandidate({ kind: "decision", subject: "proxy", projectId: "project-2", time: daysAgo(1) });
    const c = makeCandidate({ kind: "decision", subject: null, time: daysAgo(3) });
    const d = makeCandidate({ kind: "decision", subject: "  ", time: daysAgo(2) });
    expect(supersede([a, b, c, d])).toEqual([a, b, c, d]);
  });

  it("breaks a tie of the same instant by the later (time-ordered) id", () => {
    const time = daysAgo(1);
    const first = makeCandidate({ kind: "decision", subject: "proxy", time, id: "01900000-0000-7000-8000-00000000000a" });
    const second = makeCandidate({ kind: "decision", subject: "proxy", time, id: "01900000-0000-7000-8000-00000000000b" });
    expect(supersede([second, first])).toEqual([second]);
  });

  it("hides items marked superseded even when the newer one is not among the candidates", () => {
    const marked = makeCandidate({ kind: "decision", subject: "proxy", supersededById: "01900000-0000-7000-8000-0000000000ff" });
    const olderOnSameSubject = makeCandidate({ kind: "decision", subject: "proxy", time: daysAgo(40) });
    expect(supersede([marked, olderOnSameSubject])).toEqual([olderOnSameSubject]);
  });

  it("never recalls a problem whose fix was found wrong", () => {
    const wrongFix = makeCandidate({ kind: "snippet", title: "Problem: DNS fails / Fix: restart resolver", fixKnownWrong: true });
    const goodFix = makeCandidate({ kind: "snippet", title: "Problem: DNS fails / Fix: set upstream" });
    expect(supersede([wrongFix, goodFix])).toEqual([goodFix]);
  });

  it("recalls failure patterns only once they are known issues with a fix", () => {
    const pattern = (occurrenceCount: number, recommendedSolution: string) =>
      makeCandidate({ kind: "failure_pattern", occurrenceCount, recommendedSolution, errorPattern: "Get-Foo: not recognized" });
    const known = pattern(3, "use Foo-Legacy on PowerShell 2.0");
    expect(isKnownIssue(known)).toBe(true);
    expect(supersede([pattern(2, "fix"), pattern(5, " "), known])).toEqual([known]);
  });
});

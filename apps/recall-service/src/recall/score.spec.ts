import {
  decayOf,
  defaultWeights,
  scopeMatchOf,
  scopeMatchValues,
  scoreCandidate,
  scoringContext,
  tagOverlapOf,
  usefulnessCap,
  usefulnessOf,
} from "./score";
import { daysAgo, makeCandidate, testNow } from "./testing";

const scope = { projectId: "project-1", clientId: "client-1" };

describe("scoreCandidate", () => {
  it("a 90-day-old item loses to a fresh one of equal relevance unless pinned", () => {
    const context = scoringContext(scope, "nginx reverse proxy", testNow);
    const fresh = scoreCandidate(makeCandidate({ time: daysAgo(0), textRelevance: 0.8 }), context);
    const old = scoreCandidate(makeCandidate({ time: daysAgo(90), textRelevance: 0.8 }), context);
    const oldPinned = scoreCandidate(makeCandidate({ time: daysAgo(90), textRelevance: 0.8, pinned: true }), context);

    expect(old.score).toBeLessThan(fresh.score);
    expect(old.parts.decay).toBeCloseTo(0.125, 6); // three half-lives of 30 days
    expect(oldPinned.parts.decay).toBe(1);
    expect(oldPinned.score).toBeGreaterThanOrEqual(fresh.score);
  });

  it("sums the weighted parts and multiplies by decay and the usefulness boost", () => {
    const context = scoringContext(scope, "", testNow);
    const scored = scoreCandidate(makeCandidate({ time: daysAgo(30), importance: 10, textRelevance: 1, usefulCount: 2 }), context);
    const base = defaultWeights.text * 1 + defaultWeights.scope * scopeMatchValues.project + defaultWeights.importance * 1;
    expect(scored.parts).toEqual({
      textRelevance: 1,
      tagOverlap: 0,
      scopeMatch: 1,
      importance: 1,
      decay: 0.5,
      usefulness: 0.1,
      pinned: false,
    });
    expect(scored.score).toBeCloseTo(base * 0.5 * 1.1, 10);
  });

  it("reads the half-life from the context (RECALL_HALF_LIFE_DAYS is parsed into it)", () => {
    const context = scoringContext(scope, "", testNow, { halfLifeDays: 7 });
    expect(scoreCandidate(makeCandidate({ time: daysAgo(7) }), context).parts.decay).toBeCloseTo(0.5, 10);
  });

  it("clamps relevance and importance out of range instead of letting them dominate", () => {
    const context = scoringContext(scope, "", testNow);
    const wild = scoreCandidate(makeCandidate({ textRelevance: 7, importance: 40 }), context);
    expect(wild.parts.textRelevance).toBe(1);
    expect(wild.parts.importance).toBe(1);
    expect(scoreCandidate(makeCandidate({ textRelevance: Number.NaN, importance: -3 }), context).parts).toMatchObject({
      textRelevance: 0,
      importance: 0,
    });
  });

  it("ranks the same project above the same client above a pinned global item", () => {
    const context = scoringContext(scope, "", testNow);
    const project = scoreCandidate(makeCandidate(), context);
    const client = scoreCandidate(makeCandidate({ projectId: "project-2" }), context);
    const global = scoreCandidate(makeCandidate({ projectId: null, clientId: null, pinned: true }), context);
    expect(project.score).toBeGreaterThan(client.score);
    expect(client.score).toBeGreaterThan(global.score);
  });
});

describe("scopeMatchOf", () => {
  it("is project > client > pinned global > none", () => {
    expect(scopeMatchOf({ projectId: "project-1", clientId: "x", pinned: false }, scope)).toBe(scopeMatchValues.project);
    expect(scopeMatchOf({ projectId: "other", clientId: "client-1", pinned: false }, scope)).toBe(scopeMatchValues.client);
    expect(scopeMatchOf({ projectId: null, clientId: null, pinned: true }, scope)).toBe(scopeMatchValues.global);
    expect(scopeMatchOf({ projectId: null, clientId: null, pinned: false }, scope)).toBe(scopeMatchValues.none);
    expect(scopeMatchOf({ projectId: "other", clientId: "other", pinned: true }, scope)).toBe(scopeMatchValues.none);
    expect(scopeMatchOf({ projectId: null, clientId: null, pinned: false }, {})).toBe(scopeMatchValues.none);
    const repository = "github.com/acme/app";
    expect(scopeMatchOf({ projectId: null, clientId: null, pinned: false, repository }, { repository })).toBe(scopeMatchValues.project);
    expect(scopeMatchOf({ projectId: null, clientId: null, pinned: true, repository }, {})).toBe(scopeMatchValues.none);
  });
});

describe("tagOverlapOf", () => {
  it("is the share of tags the terms name, over the smaller set", () => {
    const terms = new Set(["nginx", "docker", "ssl", "active", "directory"]);
    expect(tagOverlapOf(["nginx", "postgres"], terms)).toBe(0.5);
    expect(tagOverlapOf(["NGINX", "Docker"], terms)).toBe(1);
    expect(tagOverlapOf(["active directory"], terms)).toBe(1);
    expect(tagOverlapOf(["mysql"], terms)).toBe(0);
    expect(tagOverlapOf([], terms)).toBe(0);
    expect(tagOverlapOf(["nginx"], new Set())).toBe(0);
    expect(tagOverlapOf(["nginx", "a", "b", "c"], new Set(["nginx"]))).toBe(1);
  });

  it("counts the scope's host and repository name as terms", () => {
    const context = scoringContext({ host: "SRV-DC01", repository: "github.com/acme/billing-app" }, "", testNow);
    expect([...context.terms]).toEqual(expect.arrayContaining(["srv", "dc01", "srv-dc01", "billing", "app"]));
    expect(tagOverlapOf(["srv-dc01"], context.terms)).toBe(1);
  });
});

describe("decayOf and usefulnessOf", () => {
  it("halves per half-life, never grows for future dates, and spares pinned items", () => {
    expect(decayOf(daysAgo(0), testNow, 30, false)).toBe(1);
    expect(decayOf(daysAgo(60), testNow, 30, false)).toBeCloseTo(0.25, 10);
    expect(decayOf(daysAgo(-5), testNow, 30, false)).toBe(1);
    expect(decayOf(daysAgo(365), testNow, 30, true)).toBe(1);
  });

  it("gives a small boost per useful mark, capped", () => {
    expect(usefulnessOf(0)).toBe(0);
    expect(usefulnessOf(1)).toBeCloseTo(0.05, 10);
    expect(usefulnessOf(1000)).toBe(usefulnessCap);
    expect(usefulnessOf(-4)).toBe(0);
  });
});

import { memoizedPerCandidate } from "./memo";
import type { Candidate } from "./candidate";
import { makeCandidate } from "./testing";

describe("memoizedPerCandidate", () => {
  it("derives once per candidate, shares the value with its copies and keeps functions apart", () => {
    let titles = 0;
    let ids = 0;
    const titleOf = memoizedPerCandidate((c: Candidate) => (titles++, c.title.toUpperCase()));
    const idOf = memoizedPerCandidate((c: Candidate) => (ids++, c.id.length));
    const candidate = makeCandidate({ title: "Renew cert", memo: {} });
    expect(titleOf(candidate)).toBe("RENEW CERT");
    expect(titleOf({ ...candidate, textRelevance: 0.7 })).toBe("RENEW CERT");
    expect(idOf(candidate)).toBe(candidate.id.length);
    expect([titles, ids]).toEqual([1, 1]);
  });

  it("derives each time for a candidate without a memo", () => {
    let calls = 0;
    const titleOf = memoizedPerCandidate((c: Candidate) => (calls++, c.title));
    const candidate = makeCandidate({ title: "Built by hand" });
    titleOf(candidate);
    titleOf(candidate);
    expect(calls).toBe(2);
  });
});

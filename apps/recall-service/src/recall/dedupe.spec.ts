import type { Candidate } from "./candidate";
import { dedupe, nearDuplicateTitleSimilarity, similarityPrefix } from "./dedupe";
import { scoreCandidate, scoringContext } from "./score";
import { isSimilarWordSet, titleWords } from "./terms";
import { makeCandidate, seededRandom, testNow } from "./testing";

const context = scoringContext({ projectId: "project-1", clientId: "client-1" }, "", testNow);
const scored = (candidates: Candidate[]) => candidates.map((c) => scoreCandidate(c, context));

describe("dedupe", () => {
  it("keeps the best of items with the same content hash", () => {
    const weak = makeCandidate({ contentHash: "ABC", importance: 1, title: "Backup job moved" });
    const strong = makeCandidate({ kind: "snippet", contentHash: "abc", importance: 9, title: "Nightly backup at 02:00" });
    const kept = dedupe(scored([weak, strong]));
    expect(kept.map((s) => s.candidate)).toEqual([strong]);
  });

  it("keeps the best of items whose titles are near-identical word sets (Jaccard >= 0.8)", () => {
    const a = makeCandidate({ title: "Fix the nginx reverse proxy config for acme", importance: 3 });
    const b = makeCandidate({ title: "Fix nginx reverse proxy config for ACME!", importance: 8 });
    const c = makeCandidate({ title: "Fix nginx reverse proxy timeout", importance: 5 });
    const kept = dedupe(scored([a, b, c])).map((s) => s.candidate);
    expect(kept).toEqual([b, c]);
  });

  it("never merges a project state with another item", () => {
    const state = makeCandidate({ kind: "project_state", title: "Migrate mail to M365", contentHash: "s" });
    const context1 = makeCandidate({ title: "Migrate mail to M365" });
    expect(
      dedupe(scored([context1, state]))
        .map((s) => s.candidate.kind)
        .sort(),
    ).toEqual(["context", "project_state"]);
  });

  it("duplicates never appear twice (random sets with repeated hashes and titles)", () => {
    const random = seededRandom(7);
    const titles = ["Renew SSL cert on web01", "Renew the SSL cert on web01", "Reset VPN user", "Patch SQL Server", "DNS split horizon"];
    for (let round = 0; round < 200; round++) {
      const candidates = Array.from({ length: 1 + Math.floor(random() * 30) }, () =>
        makeCandidate({
          title: titles[Math.floor(random() * titles.length)]!,
          contentHash: random() < 0.5 ? `h${Math.floor(random() * 5)}` : null,
          importance: Math.floor(random() * 11),
        }),
      );
      const kept = dedupe(scored(candidates));
      const hashes = kept.map((s) => s.candidate.contentHash).filter((h) => h !== null);
      expect(new Set(hashes).size).toBe(hashes.length);
      const ids = kept.map((s) => s.candidate.id);
      expect(new Set(ids).size).toBe(ids.length);
      // "Renew SSL cert on web01" and "Renew the SSL cert on web01" are the same words without stopwords.
      expect(kept.filter((s) => s.candidate.title.startsWith("Renew")).length).toBeLessThanOrEqual(1);
      for (let i = 1; i < kept.length; i++) expect(kept[i - 1]!.score).toBeGreaterThanOrEqual(kept[i]!.score);
    }
  });

  it("finds every near-identical pair that comparing all pairs finds (prefix filtering loses none)", () => {
    const random = seededRandom(11);
    const vocabulary = ["nginx", "proxy", "cert", "renew", "web01", "web02", "backup", "job", "dns", "vpn", "user", "reset", "a1", "b2"];
    for (let round = 0; round < 300; round++) {
      const candidates = Array.from({ length: 2 + Math.floor(random() * 40) }, () =>
        makeCandidate({
          title: Array.from({ length: 1 + Math.floor(random() * 9) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" "),
          importance: Math.floor(random() * 11),
        }),
      );
      // What comparing each item with every item kept before it keeps.
      const everyPair: Candidate[] = [];
      for (const item of [...scored(candidates)].sort(
        (a, b) => b.score - a.score || Number(b.candidate.time) - Number(a.candidate.time) || (a.candidate.id < b.candidate.id ? -1 : 1),
      )) {
        const words = titleWords(item.candidate.title);
        if (everyPair.some((k) => isSimilarWordSet(words, titleWords(k.title), nearDuplicateTitleSimilarity))) continue;
        everyPair.push(item.candidate);
      }
      expect(dedupe(scored(candidates)).map((s) => s.candidate)).toEqual(everyPair);
    }
  });

  it("takes the prefix that similarity needs, longer where t * |s| is whole", () => {
    const set = (n: number) => new Set(Array.from({ length: n }, (_, i) => `w${String(i).padStart(2, "0")}`));
    expect(similarityPrefix(set(6), 0.8)).toEqual(["w00", "w01"]);
    expect(similarityPrefix(set(5), 0.8)).toEqual(["w00", "w01"]);
    expect(similarityPrefix(set(3), 0.8)).toEqual(["w00"]);
    expect(similarityPrefix(set(1), 0.8)).toEqual(["w00"]);
    expect(similarityPrefix(new Set(["b", "a"]), 0.8)).toEqual(["a"]);
  });
});

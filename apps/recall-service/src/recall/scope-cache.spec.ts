import { makeCandidate } from "./testing";
import { ScopeCache, scopeVersionKeys, versionStamp } from "./scope-cache";

describe("ScopeCache", () => {
  const sized = (chars: number) => [makeCandidate({ title: "", body: "x".repeat(chars - 300) })];

  it("keeps scopes within its size, the least recently used going first", () => {
    const cache = new ScopeCache(3_000);
    cache.set("a", "1", sized(1_000));
    cache.set("b", "1", sized(1_000));
    cache.set("c", "1", sized(1_000));
    expect(cache.size).toEqual({ scopes: 3, chars: 3_000 });
    cache.get("a"); // a is now the most recently used: b goes next
    cache.set("d", "1", sized(1_000));
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.stamp).toBe("1");
    expect(cache.get("c")).toBeDefined();
    expect(cache.get("d")).toBeDefined();
    expect(cache.size).toEqual({ scopes: 3, chars: 3_000 });
  });

  it("replaces a scope's entry and never holds one larger than itself", () => {
    const cache = new ScopeCache(2_000);
    cache.set("a", "1", sized(1_000));
    cache.set("a", "2", sized(500));
    expect(cache.get("a")?.stamp).toBe("2");
    expect(cache.size).toEqual({ scopes: 1, chars: 500 });
    cache.set("huge", "1", sized(5_000));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.size.chars).toBeLessThanOrEqual(2_000);
  });

  it("hands back a list that cannot be changed", () => {
    const cache = new ScopeCache(10_000);
    const candidates = sized(400);
    cache.set("a", "1", candidates);
    candidates.push(makeCandidate());
    const held = cache.get("a")?.candidates as unknown[];
    expect(held).toHaveLength(1);
    expect(() => held.push(1)).toThrow();
  });

  it("gives its candidates a memo when first reused, not before, and keeps what was derived", () => {
    const cache = new ScopeCache(10_000);
    cache.set("a", "1", [makeCandidate({ memo: undefined }), makeCandidate({ memo: undefined })]);
    const [first] = cache.get("a")?.candidates ?? [];
    expect(first?.memo).toEqual({});
    first!.memo!["derived"] = "kept";
    expect(cache.get("a")?.candidates[0]?.memo).toEqual({ derived: "kept" });
    expect(cache.get("a")?.candidates.every((c) => c.memo !== undefined)).toBe(true);
  });

  it("keys scopes by project, repository, client and host", () => {
    const key = ScopeCache.keyOf({ projectId: "p", repository: "r", clientId: "c", host: "h", machineName: "ignored" });
    expect(key).toBe(ScopeCache.keyOf({ projectId: "p", repository: "r", clientId: "c", host: "h" }));
    expect(key).not.toBe(ScopeCache.keyOf({ projectId: "p", repository: "r", clientId: "c" }));
    expect(ScopeCache.keyOf({ projectId: "ab" })).not.toBe(ScopeCache.keyOf({ repository: "ab" }));
  });
});

describe("scope versions", () => {
  it("names the keys a scope depends on, global always", () => {
    expect(scopeVersionKeys({})).toEqual(["g"]);
    expect(scopeVersionKeys({ projectId: "p1", repository: "github.com/a/b", clientId: "c1", host: "web01", machineName: "X" })).toEqual([
      "g",
      "p:p1",
      "r:github.com/a/b",
      "c:c1",
      "h:web01",
    ]);
  });

  it("stamps versions the same in any order, and differently when one moves", () => {
    const a = versionStamp([
      { key: "p:1", version: 3 },
      { key: "g", version: BigInt(7) },
    ]);
    expect(
      versionStamp([
        { key: "g", version: "7" },
        { key: "p:1", version: 3 },
      ]),
    ).toBe(a);
    expect(
      versionStamp([
        { key: "g", version: 8 },
        { key: "p:1", version: 3 },
      ]),
    ).not.toBe(a);
    expect(versionStamp([{ key: "p:1", version: 3 }])).not.toBe(a);
  });
});

import type { RelationshipEdge } from "./dependency-walk";
import { dependencyOf, dependentOf, walkDependencies } from "./dependency-walk";

/** An in-memory graph read as the store reads it: the edges of one step from `ids`. */
function graph(edges: RelationshipEdge[]) {
  let reads = 0;
  return {
    edgesOf: (ids: readonly string[]) => {
      reads++;
      return Promise.resolve(edges.filter((e) => ids.includes(e.from) || ids.includes(e.to)));
    },
    reads: () => reads,
  };
}

const edge = (id: string, from: string, to: string, relationship = "depends_on"): RelationshipEdge => ({ id, from, to, relationship });

describe("walkDependencies", () => {
  it("reads the dependency the way the relationship's words say", () => {
    expect([dependentOf(edge("1", "app", "db")), dependencyOf(edge("1", "app", "db"))]).toEqual(["app", "db"]);
    expect([dependentOf(edge("1", "db", "app", "backend_for")), dependencyOf(edge("1", "db", "app", "backend_for"))]).toEqual([
      "app",
      "db",
    ]);
    expect(dependentOf(edge("1", "primary", "replica", "replicates_to"))).toBe("replica");
    expect(dependentOf(edge("1", "web", "proxy", "proxied_by"))).toBe("web");
  });

  it("finds every dependent once, at its least depth, with a shortest path, through a cycle", async () => {
    // api needs db; web needs api; web needs db directly too; a -> b -> c -> a is a cycle, and c needs db.
    const g = graph([
      edge("e1", "api", "db"),
      edge("e2", "web", "api"),
      edge("e3", "web", "db"),
      edge("e4", "a", "b"),
      edge("e5", "b", "c"),
      edge("e6", "c", "a"),
      edge("e7", "c", "db"),
    ]);
    const { reached, truncated } = await walkDependencies(["db"], "dependents", 10, g.edgesOf);
    expect(reached.map((r) => [r.id, r.depth, r.path.map((e) => e.id)])).toEqual([
      ["api", 1, ["e1"]],
      ["web", 1, ["e3"]],
      ["c", 1, ["e7"]],
      ["b", 2, ["e7", "e5"]],
      ["a", 3, ["e7", "e5", "e4"]],
    ]);
    expect(truncated).toBe(false);
    // One read per level, and one that finds nothing new.
    expect(g.reads()).toBe(4);
  });

  it("goes the other way for dependencies, following reversed kinds", async () => {
    const g = graph([
      edge("e1", "db", "app", "backend_for"),
      edge("e2", "app", "ldap", "authenticates_via"),
      edge("e3", "db", "replica", "replicates_to"),
    ]);
    const { reached } = await walkDependencies(["app"], "dependencies", 10, g.edgesOf);
    expect(reached.map((r) => r.id)).toEqual(["db", "ldap"]);
    const impact = await walkDependencies(["db"], "dependents", 10, g.edgesOf);
    expect(impact.reached.map((r) => r.id).sort()).toEqual(["app", "replica"]);
  });

  it("stops at the depth limit and says so only when services were left", async () => {
    const chain = graph([edge("e1", "s1", "s0"), edge("e2", "s2", "s1"), edge("e3", "s3", "s2")]);
    const cut = await walkDependencies(["s0"], "dependents", 2, chain.edgesOf);
    expect([cut.reached.map((r) => r.id), cut.truncated]).toEqual([["s1", "s2"], true]);
    const exact = await walkDependencies(["s0"], "dependents", 3, chain.edgesOf);
    expect([exact.reached.map((r) => r.id), exact.truncated]).toEqual([["s1", "s2", "s3"], false]);
  });

  it("never reports a start, even when others lead back to it", async () => {
    const g = graph([edge("e1", "x", "y"), edge("e2", "y", "x")]);
    const { reached } = await walkDependencies(["x", "y"], "dependents", 5, g.edgesOf);
    expect(reached).toEqual([]);
  });
});

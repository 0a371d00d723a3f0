/**
 * Which way a dependency runs along a relationship. Most kinds read "from needs to" (depends_on,
 * hosted_on, proxied_by, authenticates_via); backend_for and replicates_to read the other way: the
 * backend serves its application, the replica follows its primary.
 */
export const reversedRelationships = ["backend_for", "replicates_to"] as const;
const dependentIsTo = new Set<string>(reversedRelationships);

export interface RelationshipEdge {
  id: string;
  from: string;
  to: string;
  relationship: string;
}

/** The service that needs the other along an edge. */
export function dependentOf(edge: RelationshipEdge): string {
  return dependentIsTo.has(edge.relationship) ? edge.to : edge.from;
}

/** The service that is needed along an edge. */
export function dependencyOf(edge: RelationshipEdge): string {
  return dependentIsTo.has(edge.relationship) ? edge.from : edge.to;
}

/** "dependents": who needs the start (impact); "dependencies": what the start needs. */
export type WalkDirection = "dependents" | "dependencies";

export interface Reached {
  id: string;
  depth: number;
  /** The edges from the start to this service, in walk order (the first edge touches the start). */
  path: RelationshipEdge[];
}

/** The edges of one step of the walk from `ids` in its direction (at least those), read by the caller's store. */
export type EdgesOf = (ids: readonly string[]) => Promise<RelationshipEdge[]>;

/**
 * Breadth-first walk from `starts` along dependencies in `direction`, up to `maxDepth` edges: every
 * service reached once, at its least depth, with the first shortest path found. Cycles end where
 * they meet a service already reached. `truncated` says the limit stopped the walk with services
 * still to reach.
 */
export async function walkDependencies(
  starts: readonly string[],
  direction: WalkDirection,
  maxDepth: number,
  edgesOf: EdgesOf,
): Promise<{ reached: Reached[]; truncated: boolean }> {
  const near = direction === "dependents" ? dependencyOf : dependentOf;
  const far = direction === "dependents" ? dependentOf : dependencyOf;
  const paths = new Map<string, RelationshipEdge[]>(starts.map((id) => [id, []]));
  const reached: Reached[] = [];
  let frontier = [...new Set(starts)];
  for (let depth = 1; frontier.length > 0; depth++) {
    const inFrontier = new Set(frontier);
    const next: string[] = [];
    const edges = await edgesOf(frontier);
    for (const edge of edges) {
      const from = near(edge);
      const to = far(edge);
      if (!inFrontier.has(from) || paths.has(to)) continue;
      if (depth > maxDepth) return { reached, truncated: true };
      const path = [...(paths.get(from) ?? []), edge];
      paths.set(to, path);
      reached.push({ id: to, depth, path });
      next.push(to);
    }
    frontier = next;
  }
  return { reached, truncated: false };
}

import type { Cidr } from "./cidr";
import { parseCidr } from "./cidr";

/** A stored network, as the overlap report reads it. */
export interface NetworkInput {
  id: string;
  cidr: string;
  clientId: string;
  siteId: string | null;
}

/** Two networks sharing addresses; `shared` is the CIDR they share (the inner one, as CIDRs nest). */
export interface OverlapPair {
  first: NetworkInput;
  second: NetworkInput;
  shared: string;
}

/**
 * Every pair of networks sharing addresses, at most `limit` of them, and whether more were left
 * out. Pairs come ordered by the first network's start (IPv4 before IPv6), then the second's;
 * the first of a pair is the outer network, or for equal CIDRs the one given first. Networks of
 * different versions never overlap, and a CIDR that cannot be read is skipped. It compares every
 * network given, whatever its client or site: callers choose the scope. Networks are sorted by
 * start, outer before inner, so the networks inside one are the run right after it: O(n log n +
 * pairs) rather than comparing all pairs.
 */
export function findOverlaps(networks: readonly NetworkInput[], limit: number): { pairs: OverlapPair[]; truncated: boolean } {
  const sorted = sortedNetworks(networks);
  const pairs: OverlapPair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const outer = sorted[i];
    if (!outer) continue;
    for (let j = i + 1; j < sorted.length; j++) {
      const inner = sorted[j];
      if (!inner || inner.cidr.version !== outer.cidr.version || inner.cidr.first > outer.cidr.last) break;
      if (pairs.length >= limit) return { pairs, truncated: true };
      pairs.push({ first: outer.network, second: inner.network, shared: inner.cidr.text });
    }
  }
  return { pairs, truncated: false };
}

interface SortedNetwork {
  network: NetworkInput;
  cidr: Cidr;
  index: number;
}

/** Readable networks by version, start, outer before inner, then as given. */
function sortedNetworks(networks: readonly NetworkInput[]): SortedNetwork[] {
  const read: SortedNetwork[] = [];
  networks.forEach((network, index) => {
    const cidr = parseCidr(network.cidr);
    if (!("error" in cidr)) read.push({ network, cidr, index });
  });
  return read.sort(
    (a, b) => a.cidr.version - b.cidr.version || compare(a.cidr.first, b.cidr.first) || a.cidr.prefix - b.cidr.prefix || a.index - b.index,
  );
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

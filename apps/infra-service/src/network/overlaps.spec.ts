import type { Cidr } from "./cidr";
import { cidrsOverlap, parseCidr } from "./cidr";
import { seededRandom } from "./firewall-fixtures";
import type { NetworkInput } from "./overlaps";
import { findOverlaps } from "./overlaps";

let nextId = 0;
function network(cidr: string, siteId: string | null = null): NetworkInput {
  nextId++;
  return { id: `net-${nextId}`, cidr, clientId: "client-1", siteId };
}

/** The pairs as "first second shared", to compare briefly. */
function summary(networks: readonly NetworkInput[], limit = 1000): { pairs: string[]; truncated: boolean } {
  const { pairs, truncated } = findOverlaps(networks, limit);
  return { pairs: pairs.map((pair) => `${pair.first.cidr} ${pair.second.cidr} ${pair.shared}`), truncated };
}

describe("finding overlapping networks", () => {
  it("reports nested networks, outer first, ordered by the outer network's start", () => {
    const networks = [
      network("10.1.1.0/24"),
      network("10.2.0.0/16"),
      network("10.0.0.0/8"),
      network("10.1.0.0/16"),
      network("192.168.1.0/24"),
    ];
    expect(summary(networks)).toEqual({
      pairs: [
        "10.0.0.0/8 10.1.0.0/16 10.1.0.0/16",
        "10.0.0.0/8 10.1.1.0/24 10.1.1.0/24",
        "10.0.0.0/8 10.2.0.0/16 10.2.0.0/16",
        "10.1.0.0/16 10.1.1.0/24 10.1.1.0/24",
      ],
      truncated: false,
    });
  });

  it("reports equal networks once, the one given first as first", () => {
    const a = network("10.20.0.0/24");
    const b = network("10.20.0.0/24");
    const { pairs } = findOverlaps([a, b], 10);
    expect(pairs).toEqual([{ first: a, second: b, shared: "10.20.0.0/24" }]);
  });

  it("reports nothing for disjoint networks, neighbours included", () => {
    expect(summary([network("10.20.0.0/24"), network("10.20.1.0/24"), network("10.20.2.0/23"), network("2001:db8::/48")])).toEqual({
      pairs: [],
      truncated: false,
    });
  });

  it("never pairs IPv4 with IPv6, /0 networks included", () => {
    const networks = [
      network("::/0"),
      network("0.0.0.0/0"),
      network("10.0.0.0/8"),
      network("2001:db8::/32"),
      network("::ffff:10.0.0.0/104"),
    ];
    expect(summary(networks).pairs).toEqual([
      "0.0.0.0/0 10.0.0.0/8 10.0.0.0/8",
      "::/0 ::ffff:10.0.0.0/104 ::ffff:10.0.0.0/104",
      "::/0 2001:db8::/32 2001:db8::/32",
    ]);
  });

  it("stops at the limit and says so, but not when the pairs just fit", () => {
    const networks = [network("10.0.0.0/8"), network("10.1.0.0/16"), network("10.2.0.0/16"), network("10.3.0.0/16")];
    expect(summary(networks, 2)).toEqual({
      pairs: ["10.0.0.0/8 10.1.0.0/16 10.1.0.0/16", "10.0.0.0/8 10.2.0.0/16 10.2.0.0/16"],
      truncated: true,
    });
    expect(summary(networks, 3).truncated).toBe(false);
    expect(summary(networks, 0)).toEqual({ pairs: [], truncated: true });
    expect(summary([network("10.0.0.0/8")], 0)).toEqual({ pairs: [], truncated: false });
  });

  it("skips unreadable CIDRs and reads stored host bits as the network", () => {
    expect(summary([network("not a network"), network("10.20.0.5/24"), network("10.20.0.128/25")]).pairs).toEqual([
      "10.20.0.5/24 10.20.0.128/25 10.20.0.128/25",
    ]);
  });

  it("agrees with comparing every pair, on random sets", () => {
    const random = seededRandom(7);
    const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
    for (let round = 0; round < 200; round++) {
      const networks: NetworkInput[] = [];
      const count = int(0, 25);
      for (let i = 0; i < count; i++) {
        if (random() < 0.25) {
          const prefix = int(120, 128);
          const value = (BigInt(int(0, 255)) >> BigInt(128 - prefix)) << BigInt(128 - prefix);
          networks.push(network(random() < 0.05 ? "::/0" : `2001:db8::${value.toString(16)}/${prefix}`));
        } else {
          const prefix = int(24, 32);
          const value = (int(0, 255) >> (32 - prefix)) << (32 - prefix);
          networks.push(network(random() < 0.05 ? "0.0.0.0/0" : `10.0.0.${value}/${prefix}`));
        }
      }
      const limit = int(0, 40);
      const expected = bruteForce(networks);
      expect(summary(networks, limit)).toEqual({ pairs: expected.slice(0, limit), truncated: expected.length > limit });
    }
  });
});

/** Every overlapping pair by comparing all pairs, in the documented order. */
function bruteForce(networks: readonly NetworkInput[]): string[] {
  const cidrOf = (n: NetworkInput) => parseCidr(n.cidr) as Cidr;
  const order = networks
    .map((n, index) => ({ n, c: cidrOf(n), index }))
    .sort(
      (a, b) =>
        a.c.version - b.c.version ||
        (a.c.first < b.c.first ? -1 : a.c.first > b.c.first ? 1 : 0) ||
        a.c.prefix - b.c.prefix ||
        a.index - b.index,
    );
  const pairs: string[] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const a = order[i]!;
      const b = order[j]!;
      if (cidrsOverlap(a.c, b.c)) pairs.push(`${a.n.cidr} ${b.n.cidr} ${(a.c.prefix >= b.c.prefix ? a.c : b.c).text}`);
    }
  }
  return pairs;
}

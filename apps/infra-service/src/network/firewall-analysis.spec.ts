import { isDomainError } from "@msp/errors";
import { checkAddressOrCidr } from "./cidr";
import type { Finding, RuleInput } from "./firewall-analysis";
import { analyzeFirewallRules, checkRuleFamilies } from "./firewall-analysis";
import { seededRandom, syntheticRuleSet } from "./firewall-fixtures";
import { parsePortRange } from "./ports";

/** A rule at `position` (id "r<position>"), allowing any traffic unless told otherwise. */
function rule(position: number, fields: Partial<RuleInput> = {}): RuleInput {
  return {
    id: `r${position}`,
    position,
    name: "",
    sourceCidr: null,
    destinationCidr: null,
    portRange: null,
    protocol: "any",
    action: "allow",
    isEnabled: true,
    ...fields,
  };
}

/** The findings as "position kind related-positions", to compare briefly. */
function verdicts(rules: readonly RuleInput[]): string[] {
  return analyzeFirewallRules(rules).findings.map((f) => `${f.position} ${f.kind} [${f.relatedRuleIds.join(",")}]`);
}

function explanations(rules: readonly RuleInput[]): string[] {
  return analyzeFirewallRules(rules).findings.map((f) => f.explanation);
}

describe("firewall rule analysis, by hand-built rule sets", () => {
  it("finds nothing in an empty set or in rules that do not meet", () => {
    expect(analyzeFirewallRules([])).toEqual({ rulesAnalyzed: 0, rulesDisabled: 0, findings: [] });
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "22", action: "deny" }),
      rule(20, { sourceCidr: "10.0.1.0/24", protocol: "tcp", portRange: "22" }),
      rule(30, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "23" }),
      rule(40, { sourceCidr: "10.0.0.0/24", protocol: "udp", portRange: "22" }),
    ];
    expect(analyzeFirewallRules(rules)).toEqual({ rulesAnalyzed: 4, rulesDisabled: 0, findings: [] });
  });

  it("reports a rule inside one earlier rule of the same effect as redundant", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/8", protocol: "tcp" }),
      rule(40, { sourceCidr: "10.1.0.0/16", destinationCidr: "10.2.0.1", protocol: "tcp", portRange: "443" }),
    ];
    expect(analyzeFirewallRules(rules).findings).toEqual<Finding[]>([
      {
        ruleId: "r40",
        position: 40,
        name: "",
        kind: "redundant",
        relatedRuleIds: ["r10"],
        explanation: "rule 40 never matches: rule 10 already allows all of its traffic; it can be removed",
      },
    ]);
  });

  it("reports a rule inside one earlier rule of the opposite effect as shadowed", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/8", protocol: "tcp", action: "deny" }),
      rule(30, { name: "allow-web", sourceCidr: "10.1.0.0/16", protocol: "tcp", portRange: "80,443" }),
    ];
    expect(verdicts(rules)).toEqual(["30 shadowed [r10]"]);
    expect(explanations(rules)).toEqual(["rule 30 (allow-web) never matches: rule 10 already denies all of its traffic"]);
  });

  it("reports a rule covered only by the union of two earlier rules as shadowed when one blocks it", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/25", protocol: "tcp", portRange: "80", action: "deny" }),
      rule(20, { sourceCidr: "10.0.0.128/25", protocol: "tcp", portRange: "80" }),
      rule(30, { name: "allow-web", sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "80" }),
    ];
    expect(verdicts(rules)).toEqual(["30 shadowed [r10,r20]"]);
    expect(explanations(rules)).toEqual([
      "rule 30 (allow-web) never matches: rules 10 and 20 decide all of its traffic, and rule 10 denies it",
    ]);
  });

  it("reports a rule covered only by the union of two earlier rules of its effect as redundant", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/25", protocol: "tcp", portRange: "1-1000" }),
      rule(20, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "1001-65535" }),
      rule(25, { sourceCidr: "10.0.0.128/25", protocol: "tcp", portRange: "1-1000" }),
      rule(30, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "80,8080" }),
    ];
    expect(verdicts(rules)).toEqual(["30 redundant [r10,r20,r25]"]);
    expect(explanations(rules)).toEqual(["rule 30 never matches: rules 10, 20 and 25 already allow all of its traffic; it can be removed"]);
  });

  it("reports partial overlap with an earlier rule of the opposite effect as conflicting", () => {
    const rules = [
      rule(20, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "22", action: "drop" }),
      rule(50, { sourceCidr: "10.0.0.0/16", protocol: "tcp", portRange: "22" }),
    ];
    expect(verdicts(rules)).toEqual(["50 conflicting [r20]"]);
    expect(explanations(rules)).toEqual(["rule 50 allows traffic that rule 20 drops in part: the earlier rule wins for that part"]);
  });

  it("names only the earlier rules of the opposite effect in a conflict", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/25", protocol: "tcp", action: "deny" }),
      rule(20, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "22", action: "drop" }),
      rule(25, { sourceCidr: "10.0.0.0/26", protocol: "tcp", portRange: "443", action: "allow" }),
      rule(30, { sourceCidr: "10.0.0.0/16", protocol: "tcp", portRange: "22,443", action: "allow" }),
    ];
    expect(verdicts(rules)).toEqual(["25 shadowed [r10]", "30 conflicting [r10,r20]"]);
    expect(explanations(rules)[1]).toBe("rule 30 allows traffic that rules 10 and 20 block in part: the earlier rules win for that part");
  });

  it("leaves disabled rules out and counts them", () => {
    const rules = [
      rule(10, { action: "deny", isEnabled: false }),
      rule(20, { sourceCidr: "10.0.0.0/8" }),
      rule(30, { sourceCidr: "10.0.0.0/8", isEnabled: false }),
    ];
    expect(analyzeFirewallRules(rules)).toEqual({ rulesAnalyzed: 1, rulesDisabled: 2, findings: [] });
  });

  it("reads rules in position order whatever order they come in", () => {
    const rules = [
      rule(20, { sourceCidr: "10.1.0.0/16", protocol: "tcp" }),
      rule(10, { sourceCidr: "10.0.0.0/8", protocol: "tcp", action: "deny" }),
    ];
    expect(verdicts(rules)).toEqual(["20 shadowed [r10]"]);
  });

  it("analyzes IPv6 rules, and never lets rules of different versions meet", () => {
    const rules = [
      rule(10, { sourceCidr: "2001:db8::/32", protocol: "tcp", portRange: "443" }),
      rule(20, { sourceCidr: "2001:db8:1::/48", destinationCidr: "2001:db8:2::1", protocol: "tcp", portRange: "443" }),
      rule(30, { sourceCidr: "::/0", action: "deny" }),
      rule(40, { sourceCidr: "10.0.0.0/8", protocol: "tcp", portRange: "443" }),
      rule(50, { sourceCidr: "::ffff:10.0.0.0/104", protocol: "tcp", portRange: "443" }),
    ];
    expect(verdicts(rules)).toEqual(["20 redundant [r10]", "30 conflicting [r10]", "50 shadowed [r30]"]);
  });

  it('treats "any" as every IPv4 and every IPv6 address', () => {
    const v4Any = [
      rule(10, { protocol: "tcp", portRange: "80", action: "deny" }),
      rule(20, { sourceCidr: "10.0.0.0/8", destinationCidr: "10.1.1.1", protocol: "tcp", portRange: "80" }),
    ];
    expect(verdicts(v4Any)).toEqual(["20 shadowed [r10]"]);
    const onlyV4 = [
      rule(10, { sourceCidr: "0.0.0.0/0", destinationCidr: "0.0.0.0/0", protocol: "tcp", portRange: "80", action: "deny" }),
      rule(20, { protocol: "tcp", portRange: "80" }),
    ];
    expect(verdicts(onlyV4)).toEqual(["20 conflicting [r10]"]);
    const bothVersions = [
      rule(10, { sourceCidr: "0.0.0.0/0", protocol: "tcp", portRange: "80", action: "deny" }),
      rule(15, { destinationCidr: "::/0", protocol: "tcp", portRange: "80", action: "deny" }),
      rule(20, { protocol: "tcp", portRange: "80" }),
    ];
    expect(verdicts(bothVersions)).toEqual(["20 shadowed [r10,r15]"]);
  });

  it("handles /0 rules", () => {
    const rules = [
      rule(10, { sourceCidr: "0.0.0.0/0", destinationCidr: "0.0.0.0/0" }),
      rule(20, { sourceCidr: "10.0.0.0/8", action: "deny" }),
      rule(30, { sourceCidr: "::/0", destinationCidr: "::/0", action: "drop" }),
      rule(40, { sourceCidr: "2001:db8::/32", destinationCidr: "::/0" }),
      rule(50, { sourceCidr: "0.0.0.0/0" }),
    ];
    expect(verdicts(rules)).toEqual(["20 shadowed [r10]", "40 shadowed [r30]", "50 redundant [r10]"]);
  });

  it("reads port lists as unions", () => {
    const rules = [
      rule(10, { protocol: "tcp", portRange: "80,443" }),
      rule(20, { protocol: "tcp", portRange: "443" }),
      rule(30, { protocol: "tcp", portRange: "443,8443" }),
      rule(40, { protocol: "tcp", portRange: "80-90", action: "deny" }),
      rule(50, { protocol: "tcp", portRange: "81-90", action: "deny" }),
    ];
    expect(verdicts(rules)).toEqual(["20 redundant [r10]", "40 conflicting [r10]", "50 redundant [r40]"]);
  });

  it('reads protocol "any" as tcp, udp, icmp and every other protocol', () => {
    const anyFirst = [
      rule(10, { sourceCidr: "10.0.0.0/24", action: "deny" }),
      rule(20, { sourceCidr: "10.0.0.0/24", protocol: "tcp", portRange: "22" }),
    ];
    expect(verdicts(anyFirst)).toEqual(["20 shadowed [r10]"]);
    const tcpFirst = [rule(10, { sourceCidr: "10.0.0.0/24", protocol: "tcp" }), rule(20, { sourceCidr: "10.0.0.0/24", action: "deny" })];
    expect(verdicts(tcpFirst)).toEqual(["20 conflicting [r10]"]);
    const allNamed = [
      rule(10, { protocol: "tcp" }),
      rule(20, { protocol: "udp" }),
      rule(30, { protocol: "icmp" }),
      rule(40, { protocol: "any" }),
      rule(50, { protocol: "icmp", sourceCidr: "10.0.0.0/8" }),
    ];
    expect(verdicts(allNamed)).toEqual(["50 redundant [r30,r40]"]);
  });

  it("counts deny and drop as the same effect", () => {
    const rules = [rule(10, { sourceCidr: "10.0.0.0/8", action: "deny" }), rule(20, { sourceCidr: "10.1.0.0/16", action: "drop" })];
    expect(verdicts(rules)).toEqual(["20 redundant [r10]"]);
    expect(explanations(rules)).toEqual(["rule 20 never matches: rule 10 already denies all of its traffic; it can be removed"]);
  });

  it("reports an identical duplicate as redundant", () => {
    const web = { name: "allow-web", sourceCidr: "10.0.0.0/24", destinationCidr: "10.0.1.10", protocol: "tcp", portRange: "443" } as const;
    expect(verdicts([rule(10, web), rule(20, web)])).toEqual(["20 redundant [r10]"]);
  });

  it("reports a rule that cannot match anything, naming why", () => {
    const rules = [
      rule(10, { name: "mixed", sourceCidr: "10.0.0.0/8", destinationCidr: "2001:db8::/32" }),
      rule(20, { sourceCidr: "10.0.0", portRange: "http" }),
      rule(30, { sourceCidr: "10.0.0.0/8" }),
    ];
    expect(verdicts(rules)).toEqual(["10 redundant []", "20 redundant []"]);
    expect(explanations(rules)).toEqual([
      "rule 10 (mixed) never matches: its source is IPv4 and its destination is IPv6; it can be removed",
      'rule 20 never matches: its source "10.0.0" is not an address, a network or any, and its port range "http" is not ports and port ranges; it can be removed',
    ]);
  });

  it("names at most five related rules and counts the rest", () => {
    const rules = [
      ...[10, 20, 30, 40, 50, 60, 70, 80].map((p) => rule(p, { sourceCidr: `10.0.0.${p}`, action: "deny" })),
      rule(90, { sourceCidr: "10.0.0.0/24" }),
    ];
    expect(explanations(rules)).toEqual([
      "rule 90 allows traffic that rules 10, 20, 30, 40, 50 and 3 more deny in part: the earlier rules win for that part",
    ]);
    const six = rules.slice(2);
    expect(explanations(six)).toEqual([
      "rule 90 allows traffic that rules 30, 40, 50, 60, 70 and 80 deny in part: the earlier rules win for that part",
    ]);
  });

  it("takes a rule as not covered once its remainder grows past the limit", () => {
    const rules = [
      rule(10, { sourceCidr: "10.0.0.0/25", action: "deny" }),
      rule(20, { sourceCidr: "10.0.0.128/25", action: "deny" }),
      rule(30, { sourceCidr: "10.0.0.0/24", action: "deny" }),
    ];
    expect(analyzeFirewallRules(rules, { maxRemainderPieces: 0 }).findings).toEqual([]);
    expect(analyzeFirewallRules(rules, { maxRemainderPieces: 1 }).findings.map((f) => f.kind)).toEqual(["redundant"]);
  });
});

describe("checking a rule's IP versions", () => {
  const cidr = (text: string) => checkAddressOrCidr("x", text);

  it("accepts one version, or any with either", () => {
    expect(() => checkRuleFamilies("rule.source_cidr", cidr("10.0.0.0/8"), "rule.destination_cidr", cidr("10.1.0.1"))).not.toThrow();
    expect(() => checkRuleFamilies("rule.source_cidr", "any", "rule.destination_cidr", cidr("2001:db8::1"))).not.toThrow();
    expect(() => checkRuleFamilies("rule.source_cidr", cidr("2001:db8::/32"), "rule.destination_cidr", "any")).not.toThrow();
  });

  it("refuses IPv4 with IPv6", () => {
    try {
      checkRuleFamilies("rule.source_cidr", cidr("10.0.0.0/8"), "rule.destination_cidr", cidr("2001:db8::1"));
      throw new Error("expected invalid_argument");
    } catch (error) {
      expect(isDomainError(error) && error.violations).toEqual([
        {
          field: "rule.destination_cidr",
          description: "source and destination must be of the same IP version (rule.source_cidr is IPv4, this is IPv6)",
        },
      ]);
    }
  });
});

/** One packet of the tiny test universe. */
interface Packet {
  version: 4 | 6;
  source: bigint;
  destination: bigint;
  protocol: number;
  port: number;
}

const protocolNumbers = { tcp: 0, udp: 1, icmp: 2 } as const;

/** A packet matcher written apart from the analysis: the oracle of the brute-force check. */
function matcher(input: RuleInput): (packet: Packet) => boolean {
  const side = (text: string | null) => {
    const read = checkAddressOrCidr("side", text);
    return (version: number, value: bigint) => read === "any" || (read.version === version && read.first <= value && value <= read.last);
  };
  const source = side(input.sourceCidr);
  const destination = side(input.destinationCidr);
  const ports = parsePortRange("ports", input.portRange).intervals;
  return (packet) =>
    source(packet.version, packet.source) &&
    destination(packet.version, packet.destination) &&
    (input.protocol === "any" || protocolNumbers[input.protocol] === packet.protocol) &&
    (packet.protocol > 1 || ports.some((interval) => interval.from <= packet.port && packet.port <= interval.to));
}

/** Every packet of a universe with one address per cell the generated rules can tell apart. */
function universe(): Packet[] {
  const v4 = [...Array.from({ length: 8 }, (_, i) => 0x0a000000n + BigInt(i)), 0xc0000201n];
  const v6Base = 0x20010db8000000000000000000000000n;
  const v6 = [...Array.from({ length: 4 }, (_, i) => v6Base + BigInt(i)), v6Base + (1n << 80n) + 1n];
  const packets: Packet[] = [];
  for (const [version, addresses] of [
    [4, v4],
    [6, v6],
  ] as const) {
    for (const source of addresses) {
      for (const destination of addresses) {
        for (let protocol = 0; protocol < 4; protocol++) {
          for (let port = 0; port <= 9; port++) packets.push({ version, source, destination, protocol, port });
        }
      }
    }
  }
  return packets;
}

/** What the analysis must say, found by matching every packet against every rule. */
function bruteForceVerdicts(rules: readonly RuleInput[], packets: readonly Packet[]): string[] {
  const enabled = rules.filter((r) => r.isEnabled).sort((a, b) => a.position - b.position);
  const matchers = enabled.map(matcher);
  const firstMatch = packets.map((packet) => matchers.findIndex((matches) => matches(packet)));
  const effect = (r: RuleInput) => (r.action === "allow" ? "allow" : "block");
  const out: string[] = [];
  enabled.forEach((current, k) => {
    const mine = packets.map((packet, i) => i).filter((i) => matchers[k]!(packets[i]!));
    if (mine.length === 0) {
      out.push(`${current.position} redundant []`);
      return;
    }
    const live = (e: number) => firstMatch.includes(e);
    const met = enabled.slice(0, k).filter((_, e) => live(e) && mine.some((i) => matchers[e]!(packets[i]!)));
    const opposed = met.filter((other) => effect(other) !== effect(current));
    const covered = mine.every((i) => firstMatch[i] !== k);
    const ids = (list: RuleInput[]) => list.map((r) => r.id).join(",");
    if (covered) out.push(`${current.position} ${opposed.length > 0 ? "shadowed" : "redundant"} [${ids(met)}]`);
    else if (opposed.length > 0) out.push(`${current.position} conflicting [${ids(opposed)}]`);
  });
  return out;
}

/** A random rule set over the tiny universe: 10.0.0.0/29, 2001:db8::/126, ports 1 to 8. */
function randomRuleSet(random: () => number): RuleInput[] {
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const v4Side = (): string | null => {
    const roll = random();
    if (roll < 0.15) return pick([null, "any", "0.0.0.0/0", "192.0.2.1"]);
    const prefix = int(29, 32);
    const address = `10.0.0.${(int(0, 7) >> (32 - prefix)) << (32 - prefix)}`;
    return prefix === 32 && random() < 0.5 ? address : `${address}/${prefix}`;
  };
  const v6Side = (): string | null => {
    const roll = random();
    if (roll < 0.2) return pick([null, "::/0"]);
    const prefix = int(126, 128);
    return `2001:db8::${(int(0, 3) >> (128 - prefix)) << (128 - prefix)}/${prefix}`;
  };
  const portList = (): string | null => {
    if (random() < 0.4) return null;
    const items = Array.from({ length: int(1, 2) }, () => {
      const from = int(1, 8);
      return random() < 0.5 ? `${from}` : `${from}-${int(from, 8)}`;
    });
    return items.join(",");
  };
  const action = () => pick(["allow", "allow", "deny", "drop"] as const);
  const randomRule = (): Omit<RuleInput, "id" | "position"> => {
    const versionRoll = random();
    const [sourceCidr, destinationCidr] =
      versionRoll < 0.65
        ? [v4Side(), v4Side()]
        : versionRoll < 0.9
          ? [v6Side(), v6Side()]
          : [pick([v4Side, v6Side])(), pick([v4Side, v6Side])()];
    const protocol = pick(["tcp", "tcp", "udp", "icmp", "any", "any"] as const);
    const portRange = protocol === "icmp" || (protocol === "any" && random() < 0.7) ? null : portList();
    return { name: "", sourceCidr, destinationCidr, protocol, portRange, action: action(), isEnabled: random() < 0.9 };
  };
  const list = Array.from({ length: int(1, 12) }, randomRule);
  if (random() < 0.4) {
    // Two rules splitting a network in halves, and later one for the whole network: covered by the union only.
    const prefix = int(29, 31);
    const base = (int(0, 7) >> (32 - prefix)) << (32 - prefix);
    const half = 1 << (31 - prefix);
    const side = pick(["sourceCidr", "destinationCidr"] as const);
    const shared = { ...randomRule(), sourceCidr: v4Side(), destinationCidr: v4Side(), isEnabled: true };
    const first = int(0, list.length);
    list.splice(first, 0, { ...shared, [side]: `10.0.0.${base}/${prefix + 1}`, action: action() });
    const second = int(0, list.length);
    list.splice(second, 0, { ...shared, [side]: `10.0.0.${base + half}/${prefix + 1}`, action: action() });
    list.splice(int(Math.max(first, second) + 1, list.length), 0, { ...shared, [side]: `10.0.0.${base}/${prefix}`, action: action() });
  }
  const positions = new Set<number>();
  while (positions.size < list.length) positions.add(int(1, 100));
  const sorted = [...positions].sort((a, b) => a - b);
  const rules = list.map((fields, index) => rule(sorted[index]!, fields));
  for (let i = rules.length - 1; i > 0; i--) {
    const j = int(0, i);
    [rules[i], rules[j]] = [rules[j]!, rules[i]!];
  }
  return rules;
}

describe("firewall rule analysis, against brute force", () => {
  it("agrees with matching every packet of a tiny universe, on random rule sets", () => {
    const random = seededRandom(20261206);
    const packets = universe();
    const seen = new Set<string>();
    for (let round = 0; round < 400; round++) {
      const rules = randomRuleSet(random);
      const expected = bruteForceVerdicts(rules, packets);
      expect({ rules, verdicts: verdicts(rules) }).toEqual({ rules, verdicts: expected });
      for (const line of expected) seen.add(line.split(" ")[1]!);
    }
    // The check means something only if every verdict came up.
    expect([...seen].sort()).toEqual(["conflicting", "redundant", "shadowed"]);
  });

  it("sees a rule covered by a union and not by any single rule among the random sets", () => {
    const random = seededRandom(99);
    const packets = universe();
    let unionCovers = 0;
    for (let round = 0; round < 400; round++) {
      const rules = randomRuleSet(random);
      for (const finding of analyzeFirewallRules(rules).findings) {
        if (finding.kind === "conflicting" || finding.relatedRuleIds.length < 2) continue;
        const current = matcher(rules.find((r) => r.id === finding.ruleId)!);
        const mine = packets.filter(current);
        const singleCover = finding.relatedRuleIds.some((id) => mine.every(matcher(rules.find((r) => r.id === id)!)));
        if (!singleCover) unionCovers++;
      }
    }
    expect(unionCovers).toBeGreaterThan(5);
  });
});

describe("the analysis of a synthetic rule set", () => {
  it("gets findings the packets agree with: a covered rule never matches a packet of its own first", () => {
    const rules = syntheticRuleSet(400, 3);
    const enabled = rules.filter((r) => r.isEnabled).sort((a, b) => a.position - b.position);
    const random = seededRandom(5);
    const analysis = analyzeFirewallRules(rules);
    const covered = analysis.findings.filter((f) => f.kind !== "conflicting");
    expect(covered.length).toBeGreaterThan(5);
    for (const finding of covered) {
      const index = enabled.findIndex((r) => r.id === finding.ruleId);
      const current = enabled[index]!;
      const earlier = enabled.slice(0, index).map(matcher);
      for (let sample = 0; sample < 20; sample++) {
        const packet = packetIn(current, random);
        expect([finding.ruleId, earlier.some((matches) => matches(packet))]).toEqual([finding.ruleId, true]);
      }
    }
  });
});

/** A random packet the rule matches. */
function packetIn(input: RuleInput, random: () => number): Packet {
  const source = checkAddressOrCidr("source", input.sourceCidr);
  const destination = checkAddressOrCidr("destination", input.destinationCidr);
  const version = source !== "any" ? source.version : destination !== "any" ? destination.version : 4;
  const inside = (side: typeof source) => {
    const [first, last] = side === "any" ? [0n, version === 4 ? 0xffffffffn : (1n << 128n) - 1n] : [side.first, side.last];
    return first + (BigInt(Math.floor(random() * 2 ** 32)) % (last - first + 1n));
  };
  const protocol = input.protocol === "any" ? Math.floor(random() * 4) : protocolNumbers[input.protocol];
  const intervals = parsePortRange("ports", input.portRange).intervals;
  const interval = intervals[Math.floor(random() * intervals.length)]!;
  const port = interval.from + Math.floor(random() * (interval.to - interval.from + 1));
  return { version, source: inside(source), destination: inside(destination), protocol, port };
}

import { checkAddressOrCidr } from "./cidr";
import { analyzeFirewallRules, checkRuleFamilies } from "./firewall-analysis";
import { seededRandom, syntheticRuleSet } from "./firewall-fixtures";
import { parsePortRange } from "./ports";

describe("the seeded random generator", () => {
  it("repeats for a seed, stays in [0, 1) and spreads evenly", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const low = values.filter((v) => v < 0.5).length;
    expect(low).toBeGreaterThan(4800);
    expect(low).toBeLessThan(5200);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });
});

describe("the synthetic rule set", () => {
  it("is the same for the same seed, and differs for another", () => {
    expect(syntheticRuleSet(300, 1)).toEqual(syntheticRuleSet(300, 1));
    expect(syntheticRuleSet(300, 2)).not.toEqual(syntheticRuleSet(300, 1));
    expect(syntheticRuleSet(0, 1)).toEqual([]);
    expect(syntheticRuleSet(1, 1)).toHaveLength(1);
  });

  it("has the size asked for, unique ids and positions, about 10% disabled, and fields the API accepts", () => {
    const rules = syntheticRuleSet(2000, 1);
    expect(rules).toHaveLength(2000);
    expect(new Set(rules.map((r) => r.id)).size).toBe(2000);
    expect(rules.map((r) => r.position)).toEqual(rules.map((_, i) => (i + 1) * 10));
    const disabled = rules.filter((r) => !r.isEnabled).length;
    expect(disabled).toBeGreaterThan(120);
    expect(disabled).toBeLessThan(300);
    for (const r of rules) {
      const source = checkAddressOrCidr("source", r.sourceCidr);
      const destination = checkAddressOrCidr("destination", r.destinationCidr);
      checkRuleFamilies("source", source, "destination", destination);
      if (r.portRange !== null) expect(["tcp", "udp"]).toContain(r.protocol);
      parsePortRange("port_range", r.portRange);
    }
    expect(rules.filter((r) => r.sourceCidr?.includes(":") || r.destinationCidr?.includes(":")).length).toBeGreaterThan(50);
    expect(new Set(rules.map((r) => r.protocol))).toEqual(new Set(["tcp", "udp", "icmp", "any"]));
    expect(new Set(rules.map((r) => r.action))).toEqual(new Set(["allow", "deny", "drop"]));
  });

  it("gives the analysis every kind of finding, in realistic numbers", () => {
    const analysis = analyzeFirewallRules(syntheticRuleSet(2000, 1));
    expect(analysis.rulesAnalyzed + analysis.rulesDisabled).toBe(2000);
    const count = (kind: string) => analysis.findings.filter((f) => f.kind === kind).length;
    for (const kind of ["shadowed", "redundant", "conflicting"]) {
      expect([kind, count(kind) > 20]).toEqual([kind, true]);
    }
    expect(count("shadowed") + count("redundant")).toBeLessThan(analysis.rulesAnalyzed / 4);
  });
});

import { seededRandom } from "@msp/testing/src/seeded-random";
import type { RuleInput } from "./firewall-analysis";

export { seededRandom };

const commonPorts = [
  22, 25, 53, 80, 110, 123, 143, 161, 389, 443, 445, 514, 587, 636, 993, 1433, 1521, 3306, 3389, 5432, 5900, 8080, 8443, 9100,
];
const portRanges = ["8000-8100", "49152-65535", "1024-2048", "5060-5061", "10000-20000"];
const services = ["web", "mail", "dns", "ssh", "rdp", "db", "ntp", "snmp", "ldap", "smb", "vpn", "print"];

/**
 * A realistic firewall rule set of `count` rules, the same for the same seed: IPv4 sources and
 * destinations from /8 to /32 (sites 10.x.0.0/16, subnets, hosts, some "any"), a few IPv6 rules,
 * tcp and udp with single ports, port lists and ranges, some icmp and "any", allow, deny and drop,
 * about 10% disabled, a sprinkle of rules that repeat or narrow an earlier rule (so are redundant
 * or shadowed), an "allow icmp" near the top and a "deny everything" at the end. Positions run
 * 10, 20, 30 and so on. For benchmarks and tests of the analysis.
 */
export function syntheticRuleSet(count: number, seed: number): RuleInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const rules: RuleInput[] = [];
  const add = (rule: RuleInput | Omit<RuleInput, "id" | "position">) => {
    const index = rules.length + 1;
    rules.push({ ...rule, id: `rule-${String(index).padStart(5, "0")}`, position: index * 10 });
  };

  const v4Source = (): string | null => {
    const roll = random();
    if (roll < 0.2) return null;
    if (roll < 0.25) return "10.0.0.0/8";
    if (roll < 0.3) return "172.16.0.0/12";
    if (roll < 0.45) return `10.${int(0, 40)}.0.0/16`;
    if (roll < 0.75) return `10.${int(0, 40)}.${int(0, 255)}.0/24`;
    if (roll < 0.85) return `192.168.${int(0, 20)}.0/24`;
    if (roll < 0.9) return `10.${int(0, 40)}.${int(0, 255)}.${int(0, 15) * 16}/28`;
    return `10.${int(0, 40)}.${int(0, 255)}.${int(1, 254)}/32`;
  };
  const v4Destination = (): string | null => {
    const roll = random();
    if (roll < 0.1) return null;
    if (roll < 0.6) return `10.${int(0, 40)}.${int(0, 255)}.${int(1, 254)}`;
    if (roll < 0.8) return `10.${int(0, 40)}.${int(0, 255)}.0/24`;
    if (roll < 0.9) return `10.${int(0, 40)}.${int(0, 255)}.${int(0, 15) * 16}/28`;
    if (roll < 0.95) return `10.${int(0, 40)}.0.0/16`;
    return `203.0.113.${int(1, 254)}/32`;
  };
  const v6Side = (): string | null => {
    const roll = random();
    if (roll < 0.25) return null;
    if (roll < 0.5) return `2001:db8:${int(0, 15).toString(16)}::/48`;
    if (roll < 0.8) return `2001:db8:${int(0, 15).toString(16)}:${int(0, 255).toString(16)}::/64`;
    return `2001:db8:${int(0, 15).toString(16)}:${int(0, 255).toString(16)}::${int(1, 0xffff).toString(16)}`;
  };
  const ports = (): string | null => {
    const roll = random();
    if (roll < 0.6) return `${pick(commonPorts)}`;
    if (roll < 0.8) return [pick(commonPorts), pick(commonPorts), pick(commonPorts)].join(",");
    if (roll < 0.9) return pick(portRanges);
    return null;
  };
  const action = (): RuleInput["action"] => {
    const roll = random();
    return roll < 0.65 ? "allow" : roll < 0.85 ? "deny" : "drop";
  };
  const opposite = (of: RuleInput["action"]): RuleInput["action"] => (of === "allow" ? pick(["deny", "drop"] as const) : "allow");

  if (count > 1) {
    add({
      name: "allow-icmp",
      sourceCidr: null,
      destinationCidr: null,
      portRange: null,
      protocol: "icmp",
      action: "allow",
      isEnabled: true,
    });
  }
  while (rules.length < count - 1) {
    const isEnabled = random() >= 0.1;
    const earlier = rules.length > 10 ? pick(rules) : undefined;
    const roll = random();
    if (earlier && roll < 0.02) {
      add({ ...earlier, name: `${earlier.name}-copy`, isEnabled });
      continue;
    }
    if (earlier && roll < 0.07 && earlier.sourceCidr?.endsWith("/16")) {
      // The same traffic from one /24 of the earlier rule's /16: redundant, or shadowed when the action flips.
      const narrowed = earlier.sourceCidr.replace(/\.0\.0\/16$/, `.${int(0, 255)}.0/24`);
      const flip = random() < 0.5;
      add({
        ...earlier,
        name: `${earlier.name}-narrow`,
        sourceCidr: narrowed,
        action: flip ? opposite(earlier.action) : earlier.action,
        isEnabled,
      });
      continue;
    }
    const protocolRoll = random();
    const protocol: RuleInput["protocol"] = protocolRoll < 0.6 ? "tcp" : protocolRoll < 0.8 ? "udp" : protocolRoll < 0.85 ? "icmp" : "any";
    const v6 = random() < 0.06;
    const chosen = action();
    // Rules from anywhere name a destination, rules for every protocol name both ends narrowly, and
    // broad rules name ports: few rules block or allow everything.
    let sourceCidr = v6 ? v6Side() : v4Source();
    let destinationCidr = v6 ? v6Side() : v4Destination();
    while (protocol === "any" && (sourceCidr === null || /\/(8|12|16)$/.test(sourceCidr))) sourceCidr = v6 ? v6Side() : v4Source();
    while (destinationCidr === null && (sourceCidr === null || protocol === "any")) destinationCidr = v6 ? v6Side() : v4Destination();
    const broad = sourceCidr === null || destinationCidr === null || protocol === "any";
    let portRange = protocol === "tcp" || protocol === "udp" ? ports() : null;
    if (broad && portRange === null && protocol !== "any" && protocol !== "icmp") portRange = `${pick(commonPorts)}`;
    add({
      name: `${chosen}-${pick(services)}-${rules.length + 1}`,
      sourceCidr,
      destinationCidr,
      portRange,
      protocol,
      action: chosen,
      isEnabled,
    });
  }
  if (count > 0) {
    add({
      name: "deny-everything",
      sourceCidr: null,
      destinationCidr: null,
      portRange: null,
      protocol: "any",
      action: "deny",
      isEnabled: true,
    });
  }
  return rules;
}

import { invalidArgument } from "@msp/errors";
import type { Cidr } from "./cidr";
import { cidrOfIp, isAny, parseCidr } from "./cidr";
import type { IpVersion } from "./ip";
import { parseIp } from "./ip";
import type { PortInterval } from "./ports";
import { allPorts, parsePortRange } from "./ports";
import type { Box, Bounds } from "./rule-boxes";
import { BoundsTable, boundsOf, boxSetCovered, boxSetsIntersect, newBox } from "./rule-boxes";

/** One firewall rule as the analysis reads it. */
export interface RuleInput {
  id: string;
  position: number;
  name: string;
  sourceCidr: string | null;
  destinationCidr: string | null;
  portRange: string | null;
  protocol: "tcp" | "udp" | "icmp" | "any";
  action: "allow" | "deny" | "drop";
  isEnabled: boolean;
}

export type FindingKind = "shadowed" | "redundant" | "conflicting";

/** Something worth telling about one rule, with the earlier rules it is about. */
export interface Finding {
  ruleId: string;
  position: number;
  name: string;
  kind: FindingKind;
  relatedRuleIds: string[];
  explanation: string;
}

export interface Analysis {
  rulesAnalyzed: number;
  rulesDisabled: number;
  findings: Finding[];
}

/**
 * Remainder pieces past which the analysis of one rule gives up: the rule is then taken as not
 * fully covered, so it can be reported as conflicting but never as shadowed or redundant. Real
 * rule sets stay far below it; it bounds the time a pathological set can take.
 */
export const defaultMaxRemainderPieces = 10_000;

export interface AnalysisOptions {
  /** See defaultMaxRemainderPieces. */
  maxRemainderPieces?: number;
}

/** Protocol numbers of the protocol dimension; "any" spans all four. */
const protocolNumber = { tcp: 0, udp: 1, icmp: 2, other: 3 } as const;
const lastAddress: Record<IpVersion, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

type Effect = "allow" | "block";

/**
 * A rule ready for analysis: the traffic it matches as a union of disjoint boxes. Each box holds
 * one IP version, so "any" is two boxes (all of IPv4, all of IPv6) and no box mixes an IPv4 source
 * with an IPv6 destination. Keeping the versions apart, rather than placing IPv4 in ::ffff:0:0/96,
 * keeps ::/0 (every IPv6 address) from also matching every IPv4 address.
 */
interface CompiledRule {
  input: RuleInput;
  effect: Effect;
  boxes: Box[];
  /** Where the boxes lie, in Numbers: rules whose bounds do not meet never meet. */
  bounds: Bounds;
  /** Why the rule matches nothing, when it cannot (unreadable, or mixing IP versions). */
  emptyReason: string | undefined;
}

/**
 * Finds the rules of one rule set that never match or that fight earlier rules. Rules are read in
 * position order, first match wins, and disabled rules are left out (and counted). A rule matches
 * the traffic in source x destination x protocol x port, where "any" address means every IPv4 and
 * every IPv6 address and ports count for tcp and udp only. For each rule, what earlier rules leave
 * of its traffic is computed exactly (boxes minus boxes); when nothing is left it is "shadowed" if
 * an earlier rule it meets has the opposite effect (allow against deny or drop; deny and drop are
 * both blocking) and "redundant" otherwise, naming every earlier rule it meets. When something is
 * left and an earlier rule of the opposite effect meets it, it is "conflicting", naming those.
 * Rules found never to match are not counted as meeting later rules: they decide no traffic (so
 * removing them, as advised, changes no other finding). A rule that cannot match anything (source
 * and destination of different IP versions, or text the analysis cannot read) is reported as
 * redundant with no related rules. At most one finding per rule, in position order. A rule whose
 * remainder grows past options.maxRemainderPieces (defaultMaxRemainderPieces) is taken as not
 * fully covered.
 */
export function analyzeFirewallRules(rules: readonly RuleInput[], options: AnalysisOptions = {}): Analysis {
  const maxRemainderPieces = options.maxRemainderPieces ?? defaultMaxRemainderPieces;
  const enabled = rules.filter((rule) => rule.isEnabled).sort((a, b) => a.position - b.position);
  const earlier: CompiledRule[] = [];
  const earlierBounds = new BoundsTable(enabled.length);
  const reader = new FieldReader();
  const findings: Finding[] = [];
  for (const input of enabled) {
    const rule = compileRule(input, reader);
    if (rule.emptyReason !== undefined) {
      findings.push(finding(rule, "redundant", [], `${ruleLabel(input)} never matches: ${rule.emptyReason}; it can be removed`));
      continue;
    }
    const met: CompiledRule[] = [];
    for (const index of earlierBounds.meeting(rule.bounds)) {
      const other = earlier[index];
      if (other && boxSetsIntersect(other.boxes, rule.boxes)) met.push(other);
    }
    const opposed = met.filter((other) => other.effect !== rule.effect);
    const covered = met.length > 0 && boxSetCovered(rule.boxes, boxesOf(met), maxRemainderPieces) === true;
    if (covered) {
      findings.push(
        opposed.length > 0
          ? finding(rule, "shadowed", met, shadowedExplanation(rule, met, opposed))
          : finding(
              rule,
              "redundant",
              met,
              `${ruleLabel(input)} never matches: ${positions(met)} already ${verb(met)} all of its traffic; it can be removed`,
            ),
      );
      continue;
    }
    if (opposed.length > 0) {
      const winners = opposed.length === 1 ? "the earlier rule wins" : "the earlier rules win";
      findings.push(
        finding(
          rule,
          "conflicting",
          opposed,
          `${ruleLabel(input)} ${verb([rule])} traffic that ${positions(opposed)} ${verb(opposed)} in part: ${winners} for that part`,
        ),
      );
    }
    earlier.push(rule);
    earlierBounds.add(rule.bounds);
  }
  return { rulesAnalyzed: enabled.length, rulesDisabled: rules.length - enabled.length, findings };
}

/**
 * Refuses a rule whose source and destination are networks of different IP versions (such a rule
 * matches no packet); "any" goes with either version. Throws invalid_argument on `destinationField`.
 */
export function checkRuleFamilies(sourceField: string, source: Cidr | "any", destinationField: string, destination: Cidr | "any"): void {
  if (source === "any" || destination === "any" || source.version === destination.version) return;
  throw invalidArgument(
    destinationField,
    `source and destination must be of the same IP version (${sourceField} is IPv${source.version}, this is IPv${destination.version})`,
  );
}

/** The traffic a rule matches as disjoint boxes, one per IP version and protocol-and-port piece. */
function compileRule(input: RuleInput, reader: FieldReader): CompiledRule {
  const effect: Effect = input.action === "allow" ? "allow" : "block";
  const source = reader.side(input.sourceCidr);
  const destination = reader.side(input.destinationCidr);
  const ports = reader.ports(input.portRange);
  if (source === undefined || destination === undefined || ports === undefined) {
    const reasons = [
      source === undefined ? `its source ${JSON.stringify(input.sourceCidr)} is not an address, a network or any` : undefined,
      destination === undefined
        ? `its destination ${JSON.stringify(input.destinationCidr)} is not an address, a network or any`
        : undefined,
      ports === undefined ? `its port range ${JSON.stringify(input.portRange)} is not ports and port ranges` : undefined,
    ];
    return { input, effect, boxes: [], bounds: boundsOf([]), emptyReason: reasons.filter((reason) => reason !== undefined).join(", and ") };
  }
  if (source !== "any" && destination !== "any" && source.version !== destination.version) {
    const emptyReason = `its source is IPv${source.version} and its destination is IPv${destination.version}`;
    return { input, effect, boxes: [], bounds: boundsOf([]), emptyReason };
  }
  const boxes: Box[] = [];
  for (const version of [4, 6] as const) {
    const sourceRange = rangeOf(source, version);
    const destinationRange = rangeOf(destination, version);
    if (!sourceRange || !destinationRange) continue;
    for (const { protocols, ports: interval } of protocolPieces(input.protocol, ports)) {
      const [from, to] = protocols;
      boxes.push(
        newBox(version, sourceRange[0], sourceRange[1], destinationRange[0], destinationRange[1], from, to, interval.from, interval.to),
      );
    }
  }
  return { input, effect, boxes, bounds: boundsOf(boxes), emptyReason: undefined };
}

/** Reads sources, destinations and port ranges, each text once: rule sets repeat them a lot. */
class FieldReader {
  private readonly sides = new Map<string | null, Cidr | "any" | undefined>();
  private readonly portRanges = new Map<string | null, PortInterval[] | undefined>();

  /** A source or destination: "any", a network, a bare address as its /32 or /128, or undefined when unreadable. */
  side(text: string | null): Cidr | "any" | undefined {
    if (this.sides.has(text)) return this.sides.get(text);
    const side = readSide(text);
    this.sides.set(text, side);
    return side;
  }

  /** A port range's intervals, or undefined when unreadable. */
  ports(text: string | null): PortInterval[] | undefined {
    if (this.portRanges.has(text)) return this.portRanges.get(text);
    let intervals: PortInterval[] | undefined;
    try {
      intervals = parsePortRange("port_range", text).intervals;
    } catch {
      intervals = undefined;
    }
    this.portRanges.set(text, intervals);
    return intervals;
  }
}

function readSide(text: string | null): Cidr | "any" | undefined {
  if (text === null || isAny(text)) return "any";
  if (!text.includes("/")) {
    const ip = parseIp(text);
    return ip && cidrOfIp(ip);
  }
  const cidr = parseCidr(text);
  return "error" in cidr ? undefined : cidr;
}

function rangeOf(side: Cidr | "any", version: IpVersion): [bigint, bigint] | undefined {
  if (side === "any") return [0n, lastAddress[version]];
  return side.version === version ? [side.first, side.last] : undefined;
}

/** Protocol and port pieces: ports count for tcp and udp only, so icmp (and the rest of "any") spans every port. */
function protocolPieces(protocol: RuleInput["protocol"], ports: PortInterval[]): { protocols: [number, number]; ports: PortInterval }[] {
  const portsFor = (from: number, to: number) => ports.map((interval) => ({ protocols: [from, to] as [number, number], ports: interval }));
  switch (protocol) {
    case "tcp":
      return portsFor(protocolNumber.tcp, protocolNumber.tcp);
    case "udp":
      return portsFor(protocolNumber.udp, protocolNumber.udp);
    case "icmp":
      return [{ protocols: [protocolNumber.icmp, protocolNumber.icmp], ports: allPorts }];
    case "any": {
      const everyPort = ports.length === 1 && ports[0]?.from === allPorts.from && ports[0].to === allPorts.to;
      if (everyPort) return [{ protocols: [protocolNumber.tcp, protocolNumber.other], ports: allPorts }];
      return [
        ...portsFor(protocolNumber.tcp, protocolNumber.udp),
        { protocols: [protocolNumber.icmp, protocolNumber.other], ports: allPorts },
      ];
    }
  }
}

function boxesOf(rules: readonly CompiledRule[]): Box[] {
  return rules.flatMap((rule) => rule.boxes);
}

function finding(rule: CompiledRule, kind: FindingKind, related: readonly CompiledRule[], explanation: string): Finding {
  const { id, position, name } = rule.input;
  return { ruleId: id, position, name, kind, relatedRuleIds: related.map((other) => other.input.id), explanation };
}

function shadowedExplanation(rule: CompiledRule, met: readonly CompiledRule[], opposed: readonly CompiledRule[]): string {
  const label = ruleLabel(rule.input);
  if (met.length === 1) return `${label} never matches: ${positions(met)} already ${verb(met)} all of its traffic`;
  return `${label} never matches: ${positions(met)} decide all of its traffic, and ${positions(opposed)} ${verb(opposed)} it`;
}

/** "rule 30 (allow-web)", or "rule 30" for a rule without a name. */
function ruleLabel(rule: RuleInput): string {
  return rule.name.trim() === "" ? `rule ${rule.position}` : `rule ${rule.position} (${rule.name})`;
}

/** "rule 10", "rules 10 and 20", "rules 10, 20 and 30", or the first five and how many more. */
function positions(rules: readonly CompiledRule[]): string {
  const shown = rules.slice(0, rules.length > 6 ? 5 : 6).map((rule) => `${rule.input.position}`);
  if (rules.length === 1) return `rule ${shown[0]}`;
  if (rules.length > shown.length) return `rules ${shown.join(", ")} and ${rules.length - shown.length} more`;
  return `rules ${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** What the rules do, agreeing with their number: "allows", "deny", "drops", or "block" for deny and drop mixed. */
function verb(rules: readonly CompiledRule[]): string {
  const actions = new Set(rules.map((rule) => rule.input.action));
  const [only] = actions;
  const base = actions.size > 1 ? "block" : only === "allow" ? "allow" : only === "deny" ? "deny" : "drop";
  return rules.length === 1 ? `${base === "deny" ? "denie" : base}s` : base;
}

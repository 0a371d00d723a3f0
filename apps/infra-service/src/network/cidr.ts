import { invalidArgument } from "@msp/errors";
import type { IpAddress, IpVersion } from "./ip";
import { addressBits, ipOf, parseIp } from "./ip";

/** A network: its version, prefix length, first and last address, and canonical text `network/prefix`. */
export interface Cidr {
  version: IpVersion;
  prefix: number;
  first: bigint;
  last: bigint;
  text: string;
}

export const cidrRule = "must be a network in CIDR form, such as 10.20.0.0/24 or 2001:db8::/48";
const addressOrCidrRule = 'must be an address, a network in CIDR form or "any", such as 10.20.0.1, 10.20.0.0/24, 2001:db8::/48 or any';
const prefixDigits = /^(?:0|[1-9]\d{0,2})$/;

/** The network of this version holding `address` with this prefix length; host bits are cleared. */
export function cidrOf(version: IpVersion, address: bigint, prefix: number): Cidr {
  const hostBits = BigInt(addressBits[version] - prefix);
  const first = (address >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  return { version, prefix, first, last, text: `${ipOf(version, first).text}/${prefix}` };
}

/** The /32 or /128 network of exactly one address. */
export function cidrOfIp(ip: IpAddress): Cidr {
  return cidrOf(ip.version, ip.value, addressBits[ip.version]);
}

/**
 * Reads `a.b.c.d/n` (n from 0 to 32) or IPv6 `x::/n` (n from 0 to 128), ignoring surrounding
 * spaces; a bare address is not a network here. Host bits are cleared (10.20.0.5/24 reads as
 * 10.20.0.0/24); checkCidr decides whether to refuse them. Malformed text gives the reason, a
 * description to follow a field name.
 */
export function parseCidr(text: string): Cidr | { error: string } {
  const read = readCidr(text);
  return "error" in read ? read : read.cidr;
}

/**
 * The network written in `text`, or invalid_argument on `field`. With hostBits "refuse" (the
 * default) an address inside a network, such as 10.20.0.5/24, is refused naming the network
 * meant; with "normalize" it is read as that network.
 */
export function checkCidr(field: string, text: string, hostBits: "refuse" | "normalize" = "refuse"): Cidr {
  const read = readCidr(text);
  if ("error" in read) throw invalidArgument(field, read.error);
  if (hostBits === "refuse" && read.address !== read.cidr.first) {
    throw invalidArgument(field, `${read.written} has host bits set: the network is ${read.cidr.text}`);
  }
  return read.cidr;
}

/**
 * A firewall rule's source or destination: a network in CIDR form (host bits refused), a bare
 * address meaning its /32 or /128, or "any" for empty text, "any", "*" or "0/0". Anything else is
 * invalid_argument on `field`. Note that 0.0.0.0/0 and ::/0 are networks of one version, not "any".
 */
export function checkAddressOrCidr(field: string, text: string | null | undefined): Cidr | "any" {
  const trimmed = (text ?? "").trim();
  if (isAny(trimmed)) return "any";
  if (!trimmed.includes("/")) {
    const ip = parseIp(trimmed);
    if (!ip) throw invalidArgument(field, addressOrCidrRule);
    return cidrOfIp(ip);
  }
  const read = readCidr(trimmed);
  if ("error" in read) throw invalidArgument(field, addressOrCidrRule);
  if (read.address !== read.cidr.first) throw invalidArgument(field, `${read.written} has host bits set: the network is ${read.cidr.text}`);
  return read.cidr;
}

/** True for the ways a firewall rule says "anywhere": empty, "any", "*" or "0/0". */
export function isAny(text: string): boolean {
  const trimmed = text.trim().toLowerCase();
  return trimmed === "" || trimmed === "any" || trimmed === "*" || trimmed === "0/0";
}

/** True when every address of `inner` is in `outer`; networks of different versions never contain each other. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when the address is in the network (same version, between its first and last address). */
export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.version === ip.version && cidr.first <= ip.value && ip.value <= cidr.last;
}

/** True when the two networks share an address; networks of different versions never do. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/**
 * The addresses two networks share, or undefined when they share none. Networks nest or are
 * apart, so when they overlap this is the smaller of the two.
 */
export function cidrIntersection(a: Cidr, b: Cidr): Cidr | undefined {
  if (!cidrsOverlap(a, b)) return undefined;
  return a.prefix >= b.prefix ? a : b;
}

/**
 * What is wrong with `ip` as the gateway of `cidr`, as a description to follow a field name, or
 * undefined when nothing is. The gateway must be of the network's version and inside it; in IPv4
 * networks of /30 or larger it must not be the network or the broadcast address (/31 and /32 have
 * neither, RFC 3021). In IPv6 the first address (the subnet-router anycast address) is allowed.
 */
export function gatewayProblem(cidr: Cidr, ip: IpAddress): string | undefined {
  if (ip.version !== cidr.version) return `is an IPv${ip.version} address but the network ${cidr.text} is IPv${cidr.version}`;
  if (!cidrContainsIp(cidr, ip)) return `${ip.text} is outside the network ${cidr.text}`;
  if (cidr.version === 4 && cidr.prefix <= 30) {
    if (ip.value === cidr.first) return `is the network address of ${cidr.text}`;
    if (ip.value === cidr.last) return `is the broadcast address of ${cidr.text}`;
  }
  return undefined;
}

type ReadCidr = { cidr: Cidr; address: bigint; written: string } | { error: string };

/** Reads `address/prefix`, keeping the address as written to tell whether host bits were set. */
function readCidr(text: string): ReadCidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  if (slash < 0) return { error: cidrRule };
  const prefixText = trimmed.slice(slash + 1);
  const ip = parseIp(trimmed.slice(0, slash));
  if (!ip || trimmed.slice(0, slash) !== trimmed.slice(0, slash).trim() || !prefixDigits.test(prefixText)) return { error: cidrRule };
  const prefix = Number(prefixText);
  if (prefix > addressBits[ip.version]) return { error: cidrRule };
  return { cidr: cidrOf(ip.version, ip.value, prefix), address: ip.value, written: `${ip.text}/${prefix}` };
}

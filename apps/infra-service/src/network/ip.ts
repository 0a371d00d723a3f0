import { invalidArgument } from "@msp/errors";
import ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;

/** One IPv4 or IPv6 address: its version, its value as a number, and its canonical text. */
export interface IpAddress {
  version: IpVersion;
  value: bigint;
  text: string;
}

/** Bits in an address of each version. */
export const addressBits: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** The IPv4-mapped block of the IPv6 space, ::ffff:0:0/96, whose addresses RFC 5952 writes with a dotted quad. */
const mappedV4Base = 0xffff00000000n;
const hexGroup = /^[0-9a-f]{1,4}$/i;

/**
 * Reads an IPv4 or IPv6 address, ignoring surrounding spaces, or undefined when it is not one.
 * IPv4 must be four decimal parts from 0 to 255 without leading zeros (not 10.1, 010.0.0.1 or
 * 0x0a.0.0.1). IPv6 must be eight groups, or fewer around one "::" standing for at least one zero
 * group, the last two of which may be such a dotted quad; zone ids (fe80::1%eth0) and the
 * deprecated IPv4-compatible form (::10.0.0.1) are refused. An IPv4-mapped IPv6 address
 * (::ffff:10.0.0.1) stays IPv6.
 */
export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) {
    const [a = 0, b = 0, c = 0, d = 0] = trimmed.split(".").map(Number);
    return ipv4(BigInt(((a << 24) | (b << 16) | (c << 8) | d) >>> 0));
  }
  if (!isStrictIpv6(trimmed)) return undefined;
  try {
    return ipv6(ipaddr.IPv6.parse(trimmed).parts.reduce((sum, part) => (sum << 16n) | BigInt(part), 0n));
  } catch {
    return undefined;
  }
}

/** The address written in `text`, or invalid_argument on `field` when it is not an IPv4 or IPv6 address. */
export function checkIp(field: string, text: string): IpAddress {
  const address = parseIp(text);
  if (!address) throw invalidArgument(field, "must be an IPv4 or IPv6 address, such as 10.20.0.1 or 2001:db8::1");
  return address;
}

/** The IPv4 address with this value (0 to 2^32 - 1), written as a dotted quad. */
export function ipv4(value: bigint): IpAddress {
  return { version: 4, value, text: formatIpv4(value) };
}

/** The IPv6 address with this value (0 to 2^128 - 1), written as RFC 5952 says. */
export function ipv6(value: bigint): IpAddress {
  return { version: 6, value, text: formatIpv6(value) };
}

/** The address of this version and value. */
export function ipOf(version: IpVersion, value: bigint): IpAddress {
  return version === 4 ? ipv4(value) : ipv6(value);
}

/** A 32-bit value as a dotted quad without leading zeros: 10.20.0.1. */
export function formatIpv4(value: bigint): string {
  const n = Number(value);
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");
}

/**
 * A 128-bit value as RFC 5952 writes it: lower-case hex groups without leading zeros, the longest
 * run of two or more zero groups (the first of equal runs) as "::", and an IPv4-mapped address
 * (::ffff:0:0/96) with its last 32 bits as a dotted quad, ::ffff:10.20.0.1 (section 5).
 */
export function formatIpv6(value: bigint): string {
  if (value >> 32n === 0xffffn) return `::ffff:${formatIpv4(value - mappedV4Base)}`;
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
    start += length;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/**
 * True when `text` is IPv6 in the strict textual form of RFC 4291 section 2.2 (see parseIp). This
 * guards ipaddr.js, which also reads zone ids, "::" for no group at all, hex or zero-padded
 * dotted quads, and reads ::10.0.0.1 as the IPv4-mapped ::ffff:10.0.0.1.
 */
function isStrictIpv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (half: string): string[] | undefined => {
    if (half === "") return [];
    const groups = half.split(":");
    return groups.every((group) => group !== "") ? groups : undefined;
  };
  const head = groupsOf(halves[0] ?? "");
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? "") : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  // Only the very last group may be a dotted quad: not one before a trailing "::".
  const endsInGroup = halves.length === 1 || tail.length > 0;
  const last = endsInGroup ? (all[all.length - 1] ?? "") : "";
  const dotted = last.includes(".");
  if (dotted && !ipaddr.IPv4.isValidFourPartDecimal(last)) return false;
  if (!all.slice(0, dotted ? -1 : undefined).every((group) => hexGroup.test(group))) return false;
  const count = all.length + (dotted ? 1 : 0);
  if (halves.length === 1) return count === 8;
  if (dotted && head.length === 0 && tail.length === 1) return false;
  return count <= 7;
}

const macForms = [
  /^([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})\.([0-9a-f]{2})([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i,
];

/**
 * A MAC address as six lower-case colon-separated pairs, aa:bb:cc:dd:ee:ff. Accepts that form,
 * dashes (aa-bb-cc-dd-ee-ff), Cisco dots (aabb.ccdd.eeff) or twelve bare hex digits, in any case
 * and ignoring surrounding spaces; anything else is invalid_argument on `field`.
 */
export function normalizeMac(field: string, text: string): string {
  const trimmed = text.trim();
  for (const form of macForms) {
    const match = form.exec(trimmed);
    if (match) return match.slice(1).join(":").toLowerCase();
  }
  throw invalidArgument(field, "must be a MAC address, such as aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff");
}

const hostnameLabel = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/**
 * A host name, trimmed, lower-cased and without a trailing dot. Labels are separated by dots and
 * hold 1 to 63 letters, digits, hyphens or underscores, not starting or ending with a hyphen; the
 * whole name is at most 253 characters. Anything else is invalid_argument on `field`.
 */
export function checkHostname(field: string, text: string): string {
  const trimmed = text.trim().toLowerCase();
  const name = trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
  if (name === "") throw invalidArgument(field, "must be a host name, such as fw01.example.com");
  if (name.length > 253) throw invalidArgument(field, "must be at most 253 characters long");
  for (const label of name.split(".")) {
    if (label === "") throw invalidArgument(field, "must not have empty labels (two dots in a row, or a leading dot)");
    if (label.length > 63) throw invalidArgument(field, `has a label longer than 63 characters: ${label}`);
    if (!hostnameLabel.test(label)) {
      throw invalidArgument(
        field,
        `has an invalid label "${label}": labels hold letters, digits, hyphens and underscores, and do not start or end with a hyphen`,
      );
    }
  }
  return name;
}

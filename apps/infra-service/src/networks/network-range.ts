import type { Cidr } from "../network/cidr";

/** An address as stored ranges compare it: its IP version, then 32 hex digits ("4" + ... or "6" + ...). */
function rangeText(version: 4 | 6, value: bigint): string {
  return `${version}${value.toString(16).padStart(32, "0")}`;
}

/**
 * The stored range of a network: its first and last address, prefixed by its IP version, so that
 * text comparison orders addresses and an IPv4 range never overlaps an IPv6 one (not even ::/0).
 */
export function storedRange(cidr: Pick<Cidr, "version" | "first" | "last">): { range_start: string; range_end: string } {
  return { range_start: rangeText(cidr.version, cidr.first), range_end: rangeText(cidr.version, cidr.last) };
}

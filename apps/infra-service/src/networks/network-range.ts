import type { Cidr } from "../network/cidr";

/** IPv4 addresses sit in the IPv4-mapped block of the IPv6 space (::ffff:0:0/96) in stored ranges. */
const mappedV4 = 0xffff00000000n;

/** An address of the 128-bit space as the 32 hex digits stored ranges compare as text. */
function hex(value: bigint): string {
  return value.toString(16).padStart(32, "0");
}

/** The stored range of a network: its first and last address, IPv4 mapped into IPv6. */
export function storedRange(cidr: Cidr): { range_start: string; range_end: string } {
  const offset = cidr.version === 4 ? mappedV4 : 0n;
  return { range_start: hex(cidr.first + offset), range_end: hex(cidr.last + offset) };
}

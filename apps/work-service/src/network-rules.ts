import { isIP } from "node:net";
import { invalidArgument } from "@msp/errors";

/** Checks an IPv4 or IPv6 network in CIDR form, such as 192.168.1.0/24. */
export function checkCidr(field: string, value: string): void {
  const [address = "", prefix, extra] = value.split("/");
  const version = isIP(address);
  const bits = Number(prefix);
  if (extra !== undefined || version === 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix) || bits > (version === 4 ? 32 : 128)) {
    throw invalidArgument(field, "must be a network in CIDR form, such as 192.168.1.0/24");
  }
}

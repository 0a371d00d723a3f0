import { isDomainError } from "@msp/errors";
import type { Cidr } from "./cidr";
import {
  checkAddressOrCidr,
  checkCidr,
  cidrContains,
  cidrContainsIp,
  cidrIntersection,
  cidrsOverlap,
  gatewayProblem,
  parseCidr,
} from "./cidr";
import type { IpAddress } from "./ip";
import { parseIp } from "./ip";

const cidrMessage = "must be a network in CIDR form, such as 10.20.0.0/24 or 2001:db8::/48";

function violation(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isDomainError(error) && error.code === "invalid_argument")
      return error.violations.map((v) => `${v.field}: ${v.description}`).join("; ");
    throw error;
  }
  throw new Error("expected invalid_argument, nothing was thrown");
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if ("error" in parsed) throw new Error(`${text}: ${parsed.error}`);
  return parsed;
}

function ip(text: string): IpAddress {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`${text} is not an address`);
  return parsed;
}

describe("parsing a CIDR", () => {
  it("reads IPv4 and IPv6 networks with their first and last address", () => {
    expect(cidr("10.20.0.0/24")).toEqual({ version: 4, prefix: 24, first: 0x0a140000n, last: 0x0a1400ffn, text: "10.20.0.0/24" });
    expect(cidr(" 2001:DB8::/48 ")).toEqual({
      version: 6,
      prefix: 48,
      first: 0x20010db8000000000000000000000000n,
      last: 0x20010db80000ffffffffffffffffffffn,
      text: "2001:db8::/48",
    });
  });

  it("handles the edges: /0, /32 and /128", () => {
    expect(cidr("0.0.0.0/0")).toMatchObject({ first: 0n, last: 0xffffffffn, text: "0.0.0.0/0" });
    expect(cidr("::/0")).toMatchObject({ first: 0n, last: (1n << 128n) - 1n, text: "::/0" });
    expect(cidr("10.0.0.1/32")).toMatchObject({ first: 0x0a000001n, last: 0x0a000001n, text: "10.0.0.1/32" });
    expect(cidr("255.255.255.255/32")).toMatchObject({ first: 0xffffffffn, last: 0xffffffffn });
    expect(cidr("2001:db8::1/128")).toMatchObject({
      first: 0x20010db8000000000000000000000001n,
      last: 0x20010db8000000000000000000000001n,
      text: "2001:db8::1/128",
    });
    expect(cidr("::ffff:10.0.0.0/120")).toMatchObject({ version: 6, text: "::ffff:10.0.0.0/120" });
  });

  it("clears host bits (checkCidr decides whether to refuse them)", () => {
    expect(cidr("10.20.0.5/24").text).toBe("10.20.0.0/24");
    expect(cidr("2001:db8::1/64").text).toBe("2001:db8::/64");
  });

  it("refuses bare addresses, bad prefixes and bad addresses", () => {
    for (const text of [
      "10.20.0.0",
      "10.20.0.0/",
      "10.20.0.0/33",
      "::/129",
      "10.20.0.0/024",
      "10.20.0.0/-1",
      "10.20.0.0/2 4",
      "10.20.0.0 /24",
      "10.20/16",
      "/24",
      "10.20.0.0/24/1",
      "fe80::%eth0/64",
      "",
    ]) {
      expect([text, parseCidr(text)]).toEqual([text, { error: cidrMessage }]);
    }
  });
});

describe("checking a CIDR", () => {
  it("returns the network when it is written as one", () => {
    expect(checkCidr("network.cidr", "10.20.0.0/24").text).toBe("10.20.0.0/24");
    expect(checkCidr("network.cidr", "10.0.0.1/32").text).toBe("10.0.0.1/32");
    expect(checkCidr("network.cidr", "0.0.0.0/0").text).toBe("0.0.0.0/0");
    expect(checkCidr("network.cidr", "::/0").text).toBe("::/0");
    expect(checkCidr("network.cidr", "2001:db8::1/128").text).toBe("2001:db8::1/128");
  });

  it("refuses host bits by default, naming the network meant", () => {
    expect(violation(() => checkCidr("network.cidr", "10.20.0.5/24"))).toBe(
      "network.cidr: 10.20.0.5/24 has host bits set: the network is 10.20.0.0/24",
    );
    expect(violation(() => checkCidr("network.cidr", "2001:DB8::1/64"))).toBe(
      "network.cidr: 2001:db8::1/64 has host bits set: the network is 2001:db8::/64",
    );
    expect(violation(() => checkCidr("network.cidr", "10.0.0.1/0"))).toBe(
      "network.cidr: 10.0.0.1/0 has host bits set: the network is 0.0.0.0/0",
    );
  });

  it("normalizes host bits away when asked to", () => {
    expect(checkCidr("network.cidr", "10.20.0.5/24", "normalize").text).toBe("10.20.0.0/24");
  });

  it("refuses malformed text with the generic message", () => {
    expect(violation(() => checkCidr("network.cidr", "10.20.0.0"))).toBe(`network.cidr: ${cidrMessage}`);
    expect(violation(() => checkCidr("network.cidr", "10.20.0.0/33"))).toBe(`network.cidr: ${cidrMessage}`);
  });
});

describe("a firewall rule's address or CIDR", () => {
  it('reads empty, "any", "*" and "0/0" as any', () => {
    for (const text of ["", "  ", "any", "ANY", "*", "0/0", null, undefined])
      expect(checkAddressOrCidr("rule.source_cidr", text)).toBe("any");
  });

  it("reads a bare address as its /32 or /128", () => {
    expect(checkAddressOrCidr("rule.source_cidr", "10.20.0.5")).toMatchObject({ text: "10.20.0.5/32", prefix: 32 });
    expect(checkAddressOrCidr("rule.source_cidr", "2001:db8::5")).toMatchObject({ text: "2001:db8::5/128", prefix: 128 });
  });

  it("reads networks, keeping 0.0.0.0/0 and ::/0 as networks of one version", () => {
    expect(checkAddressOrCidr("rule.source_cidr", "10.20.0.0/24")).toMatchObject({ text: "10.20.0.0/24" });
    expect(checkAddressOrCidr("rule.source_cidr", "0.0.0.0/0")).toMatchObject({ version: 4, text: "0.0.0.0/0" });
    expect(checkAddressOrCidr("rule.source_cidr", "::/0")).toMatchObject({ version: 6, text: "::/0" });
  });

  it("refuses host bits and anything else", () => {
    expect(violation(() => checkAddressOrCidr("rule.source_cidr", "10.20.0.5/24"))).toBe(
      "rule.source_cidr: 10.20.0.5/24 has host bits set: the network is 10.20.0.0/24",
    );
    for (const text of ["anywhere", "10.20.0", "10.20.0.0/33", "host-1"]) {
      expect(violation(() => checkAddressOrCidr("rule.source_cidr", text))).toBe(
        'rule.source_cidr: must be an address, a network in CIDR form or "any", such as 10.20.0.1, 10.20.0.0/24, 2001:db8::/48 or any',
      );
    }
  });
});

describe("relations between networks", () => {
  it("containment follows the ranges, within one version", () => {
    expect(cidrContains(cidr("10.0.0.0/8"), cidr("10.20.0.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.20.0.0/24"), cidr("10.20.0.0/24"))).toBe(true);
    expect(cidrContains(cidr("10.20.0.0/24"), cidr("10.0.0.0/8"))).toBe(false);
    expect(cidrContains(cidr("0.0.0.0/0"), cidr("10.0.0.1/32"))).toBe(true);
    expect(cidrContains(cidr("::/0"), cidr("10.0.0.1/32"))).toBe(false);
    expect(cidrContains(cidr("::/0"), cidr("::ffff:10.0.0.0/120"))).toBe(true);
    expect(cidrContainsIp(cidr("10.20.0.0/24"), ip("10.20.0.255"))).toBe(true);
    expect(cidrContainsIp(cidr("10.20.0.0/24"), ip("10.20.1.0"))).toBe(false);
    expect(cidrContainsIp(cidr("::/0"), ip("10.20.0.1"))).toBe(false);
  });

  it("overlap and intersection: the smaller network when they nest, nothing across versions", () => {
    expect(cidrsOverlap(cidr("10.0.0.0/8"), cidr("10.20.0.0/24"))).toBe(true);
    expect(cidrsOverlap(cidr("10.20.0.0/24"), cidr("10.20.1.0/24"))).toBe(false);
    expect(cidrsOverlap(cidr("0.0.0.0/0"), cidr("::/0"))).toBe(false);
    expect(cidrIntersection(cidr("10.0.0.0/8"), cidr("10.20.0.0/24"))?.text).toBe("10.20.0.0/24");
    expect(cidrIntersection(cidr("10.20.0.0/24"), cidr("10.0.0.0/8"))?.text).toBe("10.20.0.0/24");
    expect(cidrIntersection(cidr("10.20.0.0/24"), cidr("10.20.1.0/24"))).toBeUndefined();
    expect(cidrIntersection(cidr("::/0"), cidr("2001:db8::/32"))?.text).toBe("2001:db8::/32");
    expect(cidrIntersection(cidr("0.0.0.0/0"), cidr("::/0"))).toBeUndefined();
  });
});

describe("a network's gateway", () => {
  const network = cidr("10.30.0.0/24");

  it("is fine inside the network", () => {
    expect(gatewayProblem(network, ip("10.30.0.1"))).toBeUndefined();
    expect(gatewayProblem(network, ip("10.30.0.254"))).toBeUndefined();
  });

  it("must be of the network's version and inside it", () => {
    expect(gatewayProblem(cidr("10.0.0.0/24"), ip("2001:db8::1"))).toBe("is an IPv6 address but the network 10.0.0.0/24 is IPv4");
    expect(gatewayProblem(cidr("2001:db8::/64"), ip("10.0.0.1"))).toBe("is an IPv4 address but the network 2001:db8::/64 is IPv6");
    expect(gatewayProblem(network, ip("10.31.0.1"))).toBe("10.31.0.1 is outside the network 10.30.0.0/24");
  });

  it("is not the network or broadcast address of an IPv4 network of /30 or larger", () => {
    expect(gatewayProblem(network, ip("10.30.0.0"))).toBe("is the network address of 10.30.0.0/24");
    expect(gatewayProblem(network, ip("10.30.0.255"))).toBe("is the broadcast address of 10.30.0.0/24");
    expect(gatewayProblem(cidr("10.30.0.0/30"), ip("10.30.0.3"))).toBe("is the broadcast address of 10.30.0.0/30");
    expect(gatewayProblem(cidr("10.30.0.0/31"), ip("10.30.0.0"))).toBeUndefined();
    expect(gatewayProblem(cidr("10.30.0.1/32"), ip("10.30.0.1"))).toBeUndefined();
  });

  it("may be the first address of an IPv6 network (the subnet-router anycast address)", () => {
    expect(gatewayProblem(cidr("2001:db8::/64"), ip("2001:db8::"))).toBeUndefined();
    expect(gatewayProblem(cidr("2001:db8::/64"), ip("2001:db8::ffff:ffff:ffff:ffff"))).toBeUndefined();
  });
});

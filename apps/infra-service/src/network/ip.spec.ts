import { isDomainError } from "@msp/errors";
import { checkHostname, checkIp, formatIpv6, normalizeMac, parseIp } from "./ip";

/** The field violation `run` throws, as "field: description". */
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

describe("parsing an IP address", () => {
  it("reads IPv4 dotted quads, trimming spaces", () => {
    expect(parseIp("10.20.0.1")).toEqual({ version: 4, value: 0x0a140001n, text: "10.20.0.1" });
    expect(parseIp("  192.168.1.254 ")).toEqual({ version: 4, value: 0xc0a801fen, text: "192.168.1.254" });
    expect(parseIp("0.0.0.0")?.value).toBe(0n);
    expect(parseIp("255.255.255.255")?.value).toBe(0xffffffffn);
  });

  it("refuses IPv4 forms other than four decimal parts from 0 to 255 without leading zeros", () => {
    for (const text of [
      "10.1",
      "10.1.2",
      "010.0.0.1",
      "10.0.0.01",
      "0x0a.0.0.1",
      "1.2.3.256",
      "1.2.3.4.5",
      "1.2.3.",
      "1..2.3",
      "-1.2.3.4",
      "1.2.3.4/32",
      "",
    ]) {
      expect([text, parseIp(text)]).toEqual([text, undefined]);
    }
  });

  it("reads IPv6 and writes it as RFC 5952 says: lower case, no leading zeros, the longest zero run as ::", () => {
    expect(parseIp("2001:DB8::1")).toEqual({ version: 6, value: 0x20010db8000000000000000000000001n, text: "2001:db8::1" });
    expect(parseIp("2001:0db8:0000:0000:0000:0000:0000:0001")?.text).toBe("2001:db8::1");
    expect(parseIp("::")?.text).toBe("::");
    expect(parseIp("::1")?.text).toBe("::1");
    expect(parseIp("1::")?.text).toBe("1::");
    expect(parseIp("2001:db8:0:0:1:0:0:1")?.text).toBe("2001:db8::1:0:0:1");
    expect(parseIp("2001:db8:0:1:1:1:1:1")?.text).toBe("2001:db8:0:1:1:1:1:1");
    expect(parseIp("2001:0:0:1:0:0:0:1")?.text).toBe("2001:0:0:1::1");
    expect(parseIp("1:2:3:4:5:6:7::")?.text).toBe("1:2:3:4:5:6:7:0");
    expect(parseIp("64:ff9b::192.0.2.33")?.text).toBe("64:ff9b::c000:221");
  });

  it("keeps IPv4-mapped addresses IPv6, written with a dotted quad", () => {
    expect(parseIp("::ffff:10.0.0.1")).toEqual({ version: 6, value: 0xffff0a000001n, text: "::ffff:10.0.0.1" });
    expect(parseIp("::FFFF:a00:1")?.text).toBe("::ffff:10.0.0.1");
  });

  it("refuses zone ids, malformed groups, and :: standing for no group", () => {
    for (const text of [
      "fe80::1%eth0",
      "fe80::1%1",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "1::2:3:4:5:6:7:8",
      "1::2::3",
      ":::",
      ":1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:",
      "12345::",
      "g::1",
      "::ffff:010.0.0.1",
      "::ffff:1.2.3",
      "::1.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4",
      "1.2.3.4::",
      "1:1.2.3.4::",
      "1.2.3.4::1",
    ]) {
      expect([text, parseIp(text)]).toEqual([text, undefined]);
    }
  });

  it("reads what it writes", () => {
    const values = [
      0n,
      1n,
      0xffffn << 32n,
      0x20010db8000000000000000000000000n,
      (1n << 128n) - 1n,
      0x00010000000000000000000000010000n,
      0xffff00000000n,
    ];
    for (const value of values) {
      const text = formatIpv6(value);
      expect([text, parseIp(text)?.value]).toEqual([text, value]);
    }
  });

  it("is checked with a message naming the field", () => {
    expect(checkIp("network.gateway_ip", " 10.20.0.1 ").text).toBe("10.20.0.1");
    expect(violation(() => checkIp("network.gateway_ip", "10.20.0"))).toBe(
      "network.gateway_ip: must be an IPv4 or IPv6 address, such as 10.20.0.1 or 2001:db8::1",
    );
  });
});

describe("normalizing a MAC address", () => {
  it("accepts colons, dashes, Cisco dots and bare hex, in any case", () => {
    for (const text of ["AA:BB:CC:0D:EE:FF", "aa-bb-cc-0d-ee-ff", "aabb.cc0d.eeff", "AABBCC0DEEFF", " aa:bb:cc:0d:ee:ff "]) {
      expect(normalizeMac("asset.mac_address", text)).toBe("aa:bb:cc:0d:ee:ff");
    }
  });

  it("refuses anything else", () => {
    for (const text of [
      "aa:bb:cc:dd:ee",
      "aa:bb:cc:dd:ee:ff:00",
      "a:b:c:d:e:f",
      "aa:bb-cc:dd:ee:ff",
      "aabb.ccdd.eef",
      "gg:bb:cc:dd:ee:ff",
      "aabbccddeeff0",
      "",
    ]) {
      expect([text, violation(() => normalizeMac("asset.mac_address", text))]).toEqual([
        text,
        "asset.mac_address: must be a MAC address, such as aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff",
      ]);
    }
  });
});

describe("checking a host name", () => {
  it("trims, lower-cases and drops a trailing dot", () => {
    expect(checkHostname("asset.hostname", "  FW01.Example.COM. ")).toBe("fw01.example.com");
    expect(checkHostname("asset.hostname", "srv_01")).toBe("srv_01");
    expect(checkHostname("asset.hostname", "a-b.c")).toBe("a-b.c");
    expect(checkHostname("asset.hostname", "x")).toBe("x");
  });

  it("takes labels of up to 63 characters and names of up to 253", () => {
    const label63 = "a".repeat(63);
    expect(checkHostname("h", `${label63}.example`)).toBe(`${label63}.example`);
    const name253 = [63, 63, 63, 61].map((n) => "b".repeat(n)).join(".");
    expect(name253).toHaveLength(253);
    expect(checkHostname("h", name253)).toBe(name253);
    expect(violation(() => checkHostname("h", `${name253}b`))).toBe("h: must be at most 253 characters long");
    expect(violation(() => checkHostname("h", `${"a".repeat(64)}.example`))).toMatch(/^h: has a label longer than 63 characters/);
  });

  it("refuses empty labels, hyphens at the ends of a label and other characters", () => {
    expect(violation(() => checkHostname("h", ""))).toBe("h: must be a host name, such as fw01.example.com");
    expect(violation(() => checkHostname("h", "."))).toBe("h: must be a host name, such as fw01.example.com");
    expect(violation(() => checkHostname("h", "a..b"))).toBe("h: must not have empty labels (two dots in a row, or a leading dot)");
    expect(violation(() => checkHostname("h", ".a"))).toBe("h: must not have empty labels (two dots in a row, or a leading dot)");
    for (const text of ["-a.example", "a-.example", "a b", "a/b", "ü.example", "a*.example"]) {
      expect(violation(() => checkHostname("h", text))).toMatch(/^h: has an invalid label/);
    }
  });
});

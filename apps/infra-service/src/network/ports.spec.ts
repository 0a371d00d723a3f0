import { isDomainError } from "@msp/errors";
import { mergeIntervals, parsePortRange } from "./ports";

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

describe("a port range", () => {
  it('is every port, with no text, when empty, null, "any" or "*"', () => {
    for (const text of [null, undefined, "", "  ", "any", "ANY", "*"]) {
      expect(parsePortRange("port_range", text)).toEqual({ intervals: [{ from: 0, to: 65535 }], text: null });
    }
  });

  it("reads single ports, ranges and lists, sorted and merged, into canonical text", () => {
    expect(parsePortRange("port_range", "443")).toEqual({ intervals: [{ from: 443, to: 443 }], text: "443" });
    expect(parsePortRange("port_range", "8000-8080")).toEqual({ intervals: [{ from: 8000, to: 8080 }], text: "8000-8080" });
    expect(parsePortRange("port_range", " 8000 - 8080 , 443,80 ").text).toBe("80,443,8000-8080");
    expect(parsePortRange("port_range", "80,81,82").text).toBe("80-82");
    expect(parsePortRange("port_range", "1-100,50-200,443,443").text).toBe("1-200,443");
    expect(parsePortRange("port_range", "22-22").text).toBe("22");
    expect(parsePortRange("port_range", "1-65535").text).toBe("1-65535");
    expect(parsePortRange("port_range", "0080").text).toBe("80");
  });

  it("refuses ports outside 1-65535, backwards ranges and other text", () => {
    expect(violation(() => parsePortRange("port_range", "70000"))).toBe("port_range: 70000 is not a port (1-65535)");
    expect(violation(() => parsePortRange("port_range", "80,0"))).toBe("port_range: 0 is not a port (1-65535)");
    expect(violation(() => parsePortRange("port_range", "8080-8000"))).toBe("port_range: 8080-8000 runs backwards");
    expect(violation(() => parsePortRange("port_range", "http"))).toBe(
      'port_range: "http" is not a port or a port range, such as 443 or 8000-8080',
    );
    expect(violation(() => parsePortRange("port_range", "80-"))).toBe(
      'port_range: "80-" is not a port or a port range, such as 443 or 8000-8080',
    );
    expect(violation(() => parsePortRange("port_range", "80,,443"))).toBe(
      "port_range: must be ports and port ranges separated by commas, such as 80,443,8000-8080 (there is an empty item)",
    );
    expect(violation(() => parsePortRange("port_range", "1-2-3"))).toMatch(/is not a port or a port range/);
  });
});

describe("merging intervals", () => {
  it("sorts and joins overlapping and adjacent intervals", () => {
    expect(
      mergeIntervals([
        { from: 10, to: 20 },
        { from: 1, to: 5 },
        { from: 6, to: 8 },
        { from: 15, to: 30 },
        { from: 40, to: 40 },
      ]),
    ).toEqual([
      { from: 1, to: 8 },
      { from: 10, to: 30 },
      { from: 40, to: 40 },
    ]);
    expect(mergeIntervals([])).toEqual([]);
  });
});

import { invalidArgument } from "@msp/errors";

/** Ports from `from` to `to`, both included. */
export interface PortInterval {
  from: number;
  to: number;
}

/** Every port, what a rule without a port range matches. */
export const allPorts: PortInterval = { from: 0, to: 65535 };

const portItem = /^(\d+)(?:\s*-\s*(\d+))?$/;

/**
 * A rule's ports: empty, null, "any" or "*" is every port (0 to 65535) with null text; otherwise
 * a comma-separated list of ports (1 to 65535) and ranges `from-to` (from not above to), spaces
 * allowed, such as "80, 443, 8000-8080". The result holds the sorted intervals, overlapping and
 * adjacent ones merged, and their canonical text ("80,443,8000-8080"). Anything else is
 * invalid_argument on `field`.
 */
export function parsePortRange(field: string, text: string | null | undefined): { intervals: PortInterval[]; text: string | null } {
  if (text === null || text === undefined || isAnyPort(text)) return { intervals: [{ ...allPorts }], text: null };
  const intervals = text.split(",").map((item) => portInterval(field, item.trim()));
  const merged = mergeIntervals(intervals);
  return { intervals: merged, text: merged.map((i) => (i.from === i.to ? `${i.from}` : `${i.from}-${i.to}`)).join(",") };
}

/** Sorted intervals with overlapping and adjacent ones merged. */
export function mergeIntervals(intervals: readonly PortInterval[]): PortInterval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: PortInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.from <= last.to + 1) last.to = Math.max(last.to, interval.to);
    else merged.push({ ...interval });
  }
  return merged;
}

function isAnyPort(text: string): boolean {
  const trimmed = text.trim().toLowerCase();
  return trimmed === "" || trimmed === "any" || trimmed === "*";
}

function portInterval(field: string, item: string): PortInterval {
  const match = portItem.exec(item);
  if (!match) {
    throw invalidArgument(
      field,
      item === ""
        ? "must be ports and port ranges separated by commas, such as 80,443,8000-8080 (there is an empty item)"
        : `${JSON.stringify(item)} is not a port or a port range, such as 443 or 8000-8080`,
    );
  }
  const from = port(field, match[1] ?? "");
  const to = match[2] === undefined ? from : port(field, match[2]);
  if (from > to) throw invalidArgument(field, `${from}-${to} runs backwards`);
  return { from, to };
}

function port(field: string, digits: string): number {
  const value = Number(digits);
  if (value < 1 || value > 65535) throw invalidArgument(field, `${digits.replace(/^0+(?=\d)/, "")} is not a port (1-65535)`);
  return value;
}

import { DomainError } from "@msp/errors";
import type { Comparison } from "./filter";
import { parseFilter } from "./filter";

/** The DomainError a call throws; anything else thrown (or nothing) fails the test. */
function refusal(text: string): DomainError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`parseFilter(${JSON.stringify(text)}) was accepted`);
}

const comparisons = (n: number): string => Array.from({ length: n }, (_, i) => `f${i} = ${i}`).join(" AND ");

describe("parseFilter", () => {
  it("reads an empty or blank filter as no comparisons", () => {
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter(" \t\n ")).toEqual([]);
  });

  it.each(["=", "!=", "<", ">", "<=", ">=", ":"] as const)("reads the operator %s", (op) => {
    expect(parseFilter(`size ${op} 3`)).toEqual<Comparison[]>([{ field: "size", op, value: { kind: "number", value: 3 } }]);
  });

  it("reads operators without surrounding spaces, taking the longest one", () => {
    expect(parseFilter("a<=1")).toEqual([{ field: "a", op: "<=", value: { kind: "number", value: 1 } }]);
    expect(parseFilter("a>=1")).toEqual([{ field: "a", op: ">=", value: { kind: "number", value: 1 } }]);
    expect(parseFilter("a!=b")).toEqual([{ field: "a", op: "!=", value: { kind: "word", value: "b" } }]);
    expect(parseFilter("tags:docker")).toEqual([{ field: "tags", op: ":", value: { kind: "word", value: "docker" } }]);
  });

  it("reads double- and single-quoted strings, keeping spaces, keywords and parentheses inside", () => {
    expect(parseFilter('name = "Acme (EU) AND OR NOT"')).toEqual([
      { field: "name", op: "=", value: { kind: "string", value: "Acme (EU) AND OR NOT" } },
    ]);
    expect(parseFilter("name = 'Acme \"quoted\"'")).toEqual([
      { field: "name", op: "=", value: { kind: "string", value: 'Acme "quoted"' } },
    ]);
    expect(parseFilter('name = ""')).toEqual([{ field: "name", op: "=", value: { kind: "string", value: "" } }]);
  });

  it("takes the character after a backslash literally", () => {
    expect(parseFilter(String.raw`name = "say \"hi\""`)[0]?.value).toEqual({ kind: "string", value: 'say "hi"' });
    expect(parseFilter(String.raw`name = 'it\'s'`)[0]?.value).toEqual({ kind: "string", value: "it's" });
    expect(parseFilter(String.raw`path = "C:\\temp"`)[0]?.value).toEqual({ kind: "string", value: String.raw`C:\temp` });
    expect(parseFilter(String.raw`name = "a\nb"`)[0]?.value).toEqual({ kind: "string", value: "anb" });
  });

  it("reads integers, negative numbers and decimals as numbers", () => {
    expect(parseFilter("a = 42 AND b = -7 AND c = 12.50").map((c) => c.value)).toEqual([
      { kind: "number", value: 42 },
      { kind: "number", value: -7 },
      { kind: "number", value: 12.5 },
    ]);
  });

  it("reads bare words, including dotted field names", () => {
    expect(parseFilter("capabilities.has_docker = true")).toEqual([
      { field: "capabilities.has_docker", op: "=", value: { kind: "word", value: "true" } },
    ]);
    expect(parseFilter("status = PROJECT_STATUS_WORKING")[0]?.value).toEqual({ kind: "word", value: "PROJECT_STATUS_WORKING" });
  });

  it("joins comparisons with AND across any whitespace", () => {
    expect(parseFilter('status = working AND\n\tis_active = true   AND name >= "M"')).toEqual([
      { field: "status", op: "=", value: { kind: "word", value: "working" } },
      { field: "is_active", op: "=", value: { kind: "word", value: "true" } },
      { field: "name", op: ">=", value: { kind: "string", value: "M" } },
    ]);
  });

  it("accepts 20 comparisons and a filter of 2048 characters", () => {
    expect(parseFilter(comparisons(20))).toHaveLength(20);
    const long = `name = "${"x".repeat(2048 - 9)}"`;
    expect(long).toHaveLength(2048);
    expect(parseFilter(long)[0]?.value).toEqual({ kind: "string", value: "x".repeat(2039) });
  });

  describe("refuses", () => {
    it.each([
      ["OR", "a = 1 OR b = 2", "filter: only AND is supported between comparisons at position 7 (near 'OR')"],
      ["lower-case and", "a = 1 and b = 2", "filter: only AND is supported between comparisons at position 7 (near 'and')"],
      ["two comparisons without AND", "a = 1 b = 2", "filter: only AND is supported between comparisons at position 7 (near 'b')"],
      ["a chained comparison", "a = b = c", "filter: only AND is supported between comparisons at position 7 (near '=')"],
      ["a leading NOT", "NOT a = 1", "filter: expected a field name at position 1 (near 'NOT')"],
      ["NOT after AND", "a = 1 AND NOT b = 2", "filter: expected a field name at position 11 (near 'NOT')"],
      ["a doubled AND", "a = 1 AND AND b = 2", "filter: expected a field name at position 11 (near 'AND')"],
      ["a trailing AND", "a = 1 AND", "filter: expected a field name at the end"],
      ["a quoted field name", '"a" = 1', "filter: expected a field name at position 1 (near '\"a\"')"],
      ["a number as field name", "1 = 1", "filter: expected a field name at position 1 (near '1')"],
      ["a missing field", "= 1", "filter: expected a field name at position 1 (near '=')"],
      ["a missing operator", "a 1", "filter: expected an operator (=, !=, <, >, <=, >=, :) at position 3 (near '1')"],
      ["a field alone at the end", "a = 1 AND b", "filter: expected an operator (=, !=, <, >, <=, >=, :) at the end"],
      ["a missing value at the end", "a =", "filter: expected a value at the end"],
      ["an operator as value", "a = = 1", "filter: expected a value at position 5 (near '=')"],
      ["AND as value", "a = AND b = 2", "filter: expected a value at position 5 (near 'AND')"],
      ["AND as the last value", "a = AND", "filter: expected a value at position 5 (near 'AND')"],
      ["OR as value", "a = OR", "filter: expected a value at position 5 (near 'OR')"],
      ["NOT as value", "a != NOT", "filter: expected a value at position 6 (near 'NOT')"],
      ["parentheses", "(a = 1)", "filter: parentheses are not supported (position 1)"],
      ["parentheses after AND", "a = 1 AND (b = 2)", "filter: parentheses are not supported (position 11)"],
      ["a function call", 'has(tags, "x")', "filter: parentheses are not supported (position 4)"],
      ["an unterminated double-quoted string", 'a = "abc', "filter: unterminated string starting at position 5"],
      ["a string closed by the other quote", "a = 'abc\"", "filter: unterminated string starting at position 5"],
      ["a string whose closing quote is escaped", String.raw`a = "abc\"`, "filter: unterminated string starting at position 5"],
      ["a string ending in a backslash", 'a = "abc\\', "filter: unterminated string starting at position 5"],
      ["an unknown character", "a = #1", "filter: unexpected character '#' at position 5"],
      ["a statement separator", "a = 1; DROP TABLE clients", "filter: unexpected character ';' at position 6"],
      ["a wildcard", "name = Acme*", "filter: unexpected character '*' at position 12"],
      ["a malformed number", "a = 1.2.3", "filter: unexpected character '1' at position 5"],
      ["a number glued to a word", "a = 5abc", "filter: unexpected character '5' at position 5"],
      ["an unquoted UUID", "client_id = 0190c2d6-5c1a-7b3e-8f00-1234567890ab", "filter: unexpected character '0' at position 13"],
    ])("%s", (_, text, message) => {
      const error = refusal(text);
      expect(error.message).toBe(message);
      expect(error.code).toBe("invalid_argument");
      expect(error.violations).toEqual([{ field: "filter", description: message.slice("filter: ".length) }]);
    });

    it("more than 20 comparisons", () => {
      const error = refusal(comparisons(21));
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toBe("filter: at most 20 comparisons are supported at the end");
      expect(refusal(`${comparisons(21)} AND z = 1`).message).toMatch(
        /^filter: at most 20 comparisons are supported at position \d+ \(near 'AND'\)$/,
      );
    });

    it("a filter longer than 2048 characters, before reading it", () => {
      const error = refusal(`name = "${"x".repeat(2040)}"`);
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toBe("filter: must be at most 2048 characters");
      // Length is checked first, so even an unreadable filter reports it.
      expect(refusal("(".repeat(3000)).message).toBe("filter: must be at most 2048 characters");
    });
  });
});

import { invalidArgument } from "@msp/errors";

/** One comparison of an AIP-160 filter: `status = "working"`, `tags:"docker"`. */
export interface Comparison {
  field: string;
  op: "=" | "!=" | "<" | ">" | "<=" | ">=" | ":";
  value: Literal;
}

export type Literal = { kind: "string"; value: string } | { kind: "number"; value: number } | { kind: "word"; value: string };

const maxFilterLength = 2048;
const maxComparisons = 20;

/**
 * Parses the supported subset of AIP-160: comparisons joined by AND. Everything else (OR,
 * NOT, parentheses, functions) is refused with the position of the first unsupported token.
 */
export function parseFilter(text: string): Comparison[] {
  if (text.length > maxFilterLength) throw invalidArgument("filter", `must be at most ${maxFilterLength} characters`);
  const tokens = tokenize(text);
  const comparisons: Comparison[] = [];
  let i = 0;
  const fail = (rule: string): never => {
    const at = tokens[i];
    throw invalidArgument("filter", at ? `${rule} at position ${at.at + 1} (near '${at.text}')` : `${rule} at the end`);
  };
  if (tokens.length === 0) return [];
  for (;;) {
    const field = tokens[i];
    if (!field || field.type !== "word" || /^(AND|OR|NOT)$/.test(field.text)) fail("expected a field name");
    i++;
    const op = tokens[i];
    if (!op || op.type !== "op") fail("expected an operator (=, !=, <, >, <=, >=, :)");
    i++;
    const value = tokens[i];
    // A bare AND/OR/NOT is a keyword, never a value: `a = AND` is a missing value, not a = "AND".
    if (!value || value.type === "op" || value.type === "paren" || (value.type === "word" && /^(AND|OR|NOT)$/.test(value.text))) {
      fail("expected a value");
    }
    i++;
    comparisons.push({
      field: field!.text,
      op: op!.text as Comparison["op"],
      value:
        value!.type === "string"
          ? { kind: "string", value: value!.value }
          : value!.type === "number"
            ? { kind: "number", value: Number(value!.text) }
            : { kind: "word", value: value!.text },
    });
    if (comparisons.length > maxComparisons) fail(`at most ${maxComparisons} comparisons are supported`);
    if (i >= tokens.length) return comparisons;
    const next = tokens[i];
    if (next?.type !== "word" || next.text !== "AND") fail("only AND is supported between comparisons");
    i++;
  }
}

interface Token {
  type: "word" | "string" | "number" | "op" | "paren";
  text: string;
  value: string;
  at: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw invalidArgument("filter", `unterminated string starting at position ${start + 1}`);
        const d = text[i]!;
        // SQLite cannot take a NUL inside an SQL string literal (it ends the statement there).
        if (d === "\u0000" || (d === "\\" && text[i + 1] === "\u0000")) {
          throw invalidArgument("filter", `NUL characters are not allowed in strings (position ${i + 1})`);
        }
        if (d === "\\" && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ type: "string", text: text.slice(start, i), value, at: start });
      continue;
    }
    const op = /^(<=|>=|!=|=|<|>|:)/.exec(text.slice(i));
    if (op) {
      i += op[0].length;
      tokens.push({ type: "op", text: op[0], value: op[0], at: start });
      continue;
    }
    const number = /^-?\d+(\.\d+)?(?![\w.])/.exec(text.slice(i));
    if (number) {
      i += number[0].length;
      tokens.push({ type: "number", text: number[0], value: number[0], at: start });
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word) {
      i += word[0].length;
      tokens.push({ type: "word", text: word[0], value: word[0], at: start });
      continue;
    }
    if (c === "(" || c === ")") {
      throw invalidArgument("filter", `parentheses are not supported (position ${start + 1})`);
    }
    throw invalidArgument("filter", `unexpected character '${c}' at position ${start + 1}`);
  }
  return tokens;
}

import type { TextMeasure } from "./pack";

/**
 * Tokens of an injection text, counted line by line with the lines already counted remembered:
 * a recall's lines repeat from one call to the next, and counting 8,000 characters with the BPE
 * tokenizer costs about a millisecond. Lines join with one newline token each, which is how the
 * tokenizer splits them as a rule (it may differ by a token at a line boundary).
 */
export function createLineTokenCounter(count: TextMeasure, maxLines = 20_000): TextMeasure {
  const counted = new Map<string, number>();
  const countLine = (line: string): number => {
    let tokens = counted.get(line);
    if (tokens === undefined) {
      tokens = count(line);
      if (counted.size >= maxLines) counted.clear();
      counted.set(line, tokens);
    }
    return tokens;
  };
  return (text) => {
    if (text === "") return 0;
    const lines = text.split("\n");
    return lines.reduce((sum, line) => sum + countLine(line), lines.length - 1);
  };
}

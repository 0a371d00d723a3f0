/**
 * A stored list of texts (a JSON column) trimmed, without empty entries or repeats; undefined when
 * the value is not a list (not given).
 */
export function textList(value: unknown, lowerCase = false): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== "string") continue;
    const text = lowerCase ? item.trim().toLowerCase() : item.trim();
    if (text !== "") seen.add(text);
  }
  return [...seen];
}

/** A JSON list column as read by either dialect (SQLite hands back the text): its strings. */
export function jsonList(value: unknown): string[] {
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
}

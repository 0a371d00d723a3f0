import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";

/**
 * The dense description form of a work item: "Problem: ...\nCause: ...\nFix: ...\nVerify: ...".
 * The parts are stored beside the composed text, so both read back without parsing.
 */
export const descriptionParts = ["problem", "cause", "fix", "verify"] as const;

export type DescriptionPart = (typeof descriptionParts)[number];
export type DescriptionParts = Record<DescriptionPart, string | null>;

const labels: Record<DescriptionPart, string> = { problem: "Problem", cause: "Cause", fix: "Fix", verify: "Verify" };

/** Labels read when parsing, lower-case: the four of the form and the synonyms people write. */
const labelParts: Record<string, DescriptionPart> = {
  problem: "problem",
  cause: "cause",
  "root cause": "cause",
  fix: "fix",
  solution: "fix",
  verify: "verify",
  verification: "verify",
};

const labelLine = /^\s*(problem|root cause|cause|fix|solution|verify|verification)\s*:[ \t]*(.*)$/i;

/** The longest description a work item stores. */
export const maxDescriptionLength = 65_535;

/** "Problem: ...\nCause: ...\nFix: ...\nVerify: ...", leaving out empty parts; null when all are empty. */
export function composeDescription(parts: Partial<DescriptionParts>): string | null {
  const lines = descriptionParts.flatMap((part) => {
    const value = parts[part]?.trim();
    return value ? [`${labels[part]}: ${value}`] : [];
  });
  return lines.length > 0 ? lines.join("\n") : null;
}

/**
 * The parts of a description written in the dense form, or null when it is free text. The form:
 * the text starts with a label line ("Problem:", "Cause:" or "Root cause:", "Fix:" or "Solution:",
 * "Verify:" or "Verification:", any case); each label appears once, in any order; lines without
 * a label continue the part above them.
 */
export function parseDescription(text: string): DescriptionParts | null {
  const parts: DescriptionParts = { problem: null, cause: null, fix: null, verify: null };
  const seen = new Set<DescriptionPart>();
  let current: DescriptionPart | undefined;
  const collected: Partial<Record<DescriptionPart, string[]>> = {};
  for (const line of text.split(/\r?\n/)) {
    const label = labelLine.exec(line);
    if (label) {
      const part = labelParts[(label[1] ?? "").toLowerCase().replace(/\s+/g, " ")];
      if (!part || seen.has(part)) return null;
      seen.add(part);
      current = part;
      collected[part] = [label[2] ?? ""];
    } else if (current) {
      collected[current]?.push(line);
    } else if (line.trim() !== "") {
      return null;
    }
  }
  for (const part of descriptionParts) {
    const value = collected[part]?.join("\n").trim();
    parts[part] = value ? value : null;
  }
  return descriptionParts.some((part) => parts[part] !== null) ? parts : null;
}

function partsOf(row: StoredRecord): DescriptionParts {
  const text = (part: DescriptionPart) => {
    const value = row[part];
    return typeof value === "string" ? value : null;
  };
  return { problem: text("problem"), cause: text("cause"), fix: text("fix"), verify: text("verify") };
}

function sameParts(a: DescriptionParts, b: DescriptionParts): boolean {
  return descriptionParts.every((part) => (a[part]?.trim() || null) === (b[part]?.trim() || null));
}

/**
 * Keeps a work item's description and its parts in step, on create (`existing` undefined) and
 * update. Changed parts recompose the description; a changed description in the dense form fills
 * the parts (free text clears them). Changing both at once is fine when they agree.
 */
export function settleDescription(row: StoredRecord, existing: StoredRecord | undefined, given: ReadonlySet<string>): void {
  const parts = partsOf(row);
  const description = typeof row["description"] === "string" ? row["description"] : null;
  const changedParts = descriptionParts.filter(
    (part) => given.has(part) && (!existing || (parts[part] ?? null) !== (existing[part] ?? null)),
  );
  const descriptionChanged = given.has("description") && (!existing || description !== (existing["description"] ?? null));

  if (changedParts.length > 0) {
    if (descriptionChanged && description !== null) {
      const parsed = parseDescription(description);
      if (!parsed || !sameParts(parsed, parts)) {
        throw invalidArgument("work_item.description", "disagrees with problem, cause, fix and verify; send the parts or the description");
      }
    } else if (!descriptionChanged && existing && typeof existing["description"] === "string") {
      const wasFreeText = descriptionParts.every((part) => existing[part] === null || existing[part] === undefined);
      if (wasFreeText) {
        throw invalidArgument(
          `work_item.${changedParts[0]}`,
          "the description is free text, not Problem / Cause / Fix / Verify parts; send the parts with a new (or cleared) description",
        );
      }
    }
    for (const part of descriptionParts) row[part] = parts[part]?.trim() || null;
    row["description"] = composeDescription(parts);
  } else if (descriptionChanged) {
    const parsed = description === null ? null : parseDescription(description);
    for (const part of descriptionParts) row[part] = parsed ? parsed[part] : null;
    if (parsed) row["description"] = composeDescription(parsed);
  }
  const composed = row["description"];
  if (typeof composed === "string" && composed.length > maxDescriptionLength) {
    throw invalidArgument(
      "work_item.description",
      `must be at most ${maxDescriptionLength} characters once composed (got ${composed.length})`,
    );
  }
}

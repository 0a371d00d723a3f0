import { invalidArgument } from "@msp/errors";

const tagPattern = /^[a-z0-9][a-z0-9._+#-]{0,63}$/;

/** Tag names are stored lower-case and trimmed: "Docker " and "docker" are the same tag. */
export function normalizeTagName(field: string, name: string): string {
  const normalized = name.trim().toLowerCase();
  if (!tagPattern.test(normalized)) {
    throw invalidArgument(field, "must be 1-64 characters: letters, digits and . _ + # - (starting with a letter or digit)");
  }
  return normalized;
}

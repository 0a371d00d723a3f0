import { invalidArgument } from "@msp/errors";

/** Refuses anything but an absolute http or https URL: links are opened by people and tools (no javascript:, no file:). */
export function checkHttpUrl(field: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(field, "must be an absolute http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidArgument(field, "must be an absolute http or https URL");
}

// What `msp cred` takes on the command line and prints: credential types, list filters, dates,
// the list table and the lines of `msp cred show`. Pure functions, no I/O.
import { quoteFilter } from "../platform/platform-client";
import type { Credential } from "../platform/platform-types";
import { CommandError } from "./command-support";

/** The credential types as the command line writes them (msp.vault.v1.CredentialType without its prefix, lower case). */
export const credentialTypes = [
  "password",
  "api_key",
  "oauth_client",
  "ssh_key",
  "shared_secret",
  "token",
  "connection_string",
  "certificate",
  "totp_seed",
] as const;

export type CredentialTypeName = (typeof credentialTypes)[number];

const enumPrefix = "CREDENTIAL_TYPE_";

/** Shorter names people type. */
const aliases = new Map<string, CredentialTypeName>([
  ["totp", "totp_seed"],
  ["ssh", "ssh_key"],
  ["cert", "certificate"],
  ["psk", "shared_secret"],
]);

/**
 * A type from the command line as its short name: "password", "api-key", "API_KEY" and
 * "CREDENTIAL_TYPE_API_KEY" all give "api_key" ("totp", "ssh", "cert" and "psk" work too).
 * Anything else is a CommandError listing the types.
 */
export function shortTypeName(input: string, option = "--type"): CredentialTypeName {
  const name = input
    .trim()
    .toLowerCase()
    .replace(/-/g, "_")
    .replace(/^credential_type_/, "");
  const found = credentialTypes.find((type) => type === name) ?? aliases.get(name);
  if (!found) throw new CommandError(`${option}: "${input}" is not a credential type (one of ${credentialTypes.join(", ")})`);
  return found;
}

/** A type from the command line as the gateway's JSON writes it: "password" -> "CREDENTIAL_TYPE_PASSWORD". */
export function credentialTypeEnum(input: string, option = "--type"): string {
  return `${enumPrefix}${shortTypeName(input, option).toUpperCase()}`;
}

/** A type from the gateway's JSON for people: "CREDENTIAL_TYPE_API_KEY" -> "api_key" (unknown values as they came). */
export function typeLabel(value: string | number | undefined): string {
  if (value === undefined || value === "" || value === enumPrefix + "UNSPECIFIED") return "-";
  const text = String(value);
  return text.startsWith(enumPrefix) ? text.slice(enumPrefix.length).toLowerCase() : text;
}

/** The List filter of `msp cred list`: --client and --type as conditions, --filter as given, joined with AND. */
export function credentialFilter(options: { client?: string; type?: string; filter?: string }): string {
  const parts: string[] = [];
  if (options.client !== undefined) {
    if (options.client.trim() === "") throw new CommandError("--client: give a client id");
    parts.push(`client_id = ${quoteFilter(options.client.trim())}`);
  }
  if (options.type !== undefined) parts.push(`credential_type = ${quoteFilter(shortTypeName(options.type))}`);
  if (options.filter !== undefined && options.filter.trim() !== "") parts.push(options.filter.trim());
  return parts.join(" AND ");
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A credential id from the command line, checked before it goes into a path. */
export function credentialId(input: string | undefined): string {
  const id = (input ?? "").trim();
  if (id === "") throw new CommandError("give the credential's id (msp cred list shows them)");
  if (!uuidPattern.test(id)) throw new CommandError(`"${id}" is not a credential id (a UUID, as msp cred list shows them)`);
  return id.toLowerCase();
}

/** --expires as an RFC 3339 timestamp: a date (midnight UTC) or a full ISO date and time. */
export function expiresAtOf(input: string): string {
  const text = input.trim();
  const time = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)
    ? Date.parse(text.replace(" ", "T"))
    : NaN;
  if (Number.isNaN(time)) throw new CommandError(`--expires: "${input}" is not a date (such as 2027-03-31 or 2027-03-31T18:00:00Z)`);
  return new Date(time).toISOString();
}

/** --length of a generated password: a whole number (the vault checks the range, 8-256). */
export function lengthOf(input: string | undefined): number | undefined {
  if (input === undefined) return undefined;
  if (!/^\d+$/.test(input.trim())) throw new CommandError(`--length: "${input}" is not a whole number of characters (8-256)`);
  return Number(input.trim());
}

/** The date of a timestamp (YYYY-MM-DD), or "-". */
export function dateOf(value: string | undefined): string {
  return value ? value.slice(0, 10) : "-";
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The table of `msp cred list`. */
export function credentialTable(credentials: Credential[]): string[] {
  if (credentials.length === 0) return ["No credentials match."];
  return formatTable(
    ["NAME", "TYPE", "USERNAME", "HOST", "ID", "SECRET", "ROTATED"],
    credentials.map((c) => [
      `${c.name ?? ""}${c.isActive === false ? " (archived)" : ""}`,
      typeLabel(c.credentialType),
      c.username || "-",
      c.host || "-",
      c.id,
      c.hasSecret ? "yes" : "no",
      dateOf(c.rotatedAt),
    ]),
  );
}

/** The lines of `msp cred show` (never a secret: the credential message has none). */
export function credentialLines(c: Credential): string[] {
  const flags = [c.requiresVpn ? "VPN" : "", c.requires2fa ? "2FA" : ""].filter(Boolean).join(", ");
  const rows: [string, string | undefined][] = [
    ["Name", c.name],
    ["ID", c.id],
    ["Type", typeLabel(c.credentialType)],
    ["Username", c.username],
    ["URL", c.url],
    ["Host", c.host],
    ["Port", c.port ? String(c.port) : undefined],
    ["Public", c.publicPart ? oneLine(c.publicPart) : undefined],
    ["Client", c.clientId],
    ["Asset", c.infrastructureId],
    ["Service", c.serviceId],
    ["Requires", flags || undefined],
    ["Notes", c.accessNotes],
    [
      "Secret",
      c.hasSecret
        ? `stored (version ${c.secretVersion ?? 1}), changed ${c.rotatedAt ?? "?"}${c.rotatedBy ? ` by ${c.rotatedBy}` : ""}`
        : "none stored",
    ],
    ["Expires", c.expiresAt],
    ["Active", c.isActive === false ? "no (archived)" : "yes"],
    ["Created", c.createdAt],
    ["Updated", c.updatedAt],
  ];
  return rows.filter(([, value]) => value !== undefined && value !== "").map(([label, value]) => `${label.padEnd(9)} ${value}`);
}

function oneLine(text: string): string {
  const first = text.trim().split("\n")[0] ?? "";
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

import type { DescEnum, DescEnumValue } from "@bufbuild/protobuf";

// The forms people write enum values and timestamps in, wherever they are read: filters, and
// REST and Connect JSON at the gateway (its request JSON accepts them beyond canonical proto3 JSON).

/** CLIENT_TYPE_ for enum msp.work.v1.ClientType. */
export function enumPrefix(desc: DescEnum): string {
  return `${desc.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_`;
}

/** An enum value's short name, as stored and as filters write it: CLIENT_TYPE_MSP_CLIENT -> msp_client. */
export function enumShortName(desc: DescEnum, value: DescEnumValue): string {
  const prefix = enumPrefix(desc);
  return (value.name.startsWith(prefix) ? value.name.slice(prefix.length) : value.name).toLowerCase();
}

/** The short names of every value but the zero one (…_UNSPECIFIED), which names no choice. */
export function enumShortNames(desc: DescEnum): string[] {
  return desc.values.filter((v) => v.number !== 0).map((v) => enumShortName(desc, v));
}

/**
 * The value `text` names: its short name (msp_client) or its proto name (CLIENT_TYPE_MSP_CLIENT),
 * in any case. Never the zero value: that one only by its proto name, where canonical JSON has it.
 */
export function enumValueNamed(desc: DescEnum, text: string): DescEnumValue | undefined {
  const upper = text.toUpperCase();
  const prefixed = enumPrefix(desc) + upper;
  return desc.values.find((v) => v.number !== 0 && (v.name === upper || v.name === prefixed));
}

/** The timestamp forms accepted, as error messages name them. */
export const timestampForms = 'an RFC 3339 timestamp such as "2026-12-01T09:30:00Z" or a date such as "2026-12-01" (midnight UTC)';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timestampPattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * A timestamp as people write it, in the form protobuf-es reads (RFC 3339 with an upper-case T
 * and Z): RFC 3339 with Z or an offset and up to 9 fractional digits (a lower-case t or z too),
 * or a date alone, read as its midnight UTC. Undefined for anything else, and for a day, hour or
 * offset that does not exist, or outside 0001 to 9999 in UTC (2026-02-30 would otherwise roll over to March 2). Without an offset
 * the instant would depend on the server's time zone, so one is required.
 */
export function canonicalTimestamp(text: string): string | undefined {
  const date = datePattern.exec(text);
  if (date) return dayExists(date) ? `${text}T00:00:00Z` : undefined;
  const time = timestampPattern.exec(text);
  if (!time || !dayExists(time)) return undefined;
  const [hour, minute, second] = [Number(time[4]), Number(time[5]), Number(time[6])];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (time[9] !== undefined && (Number(time[9]) > 23 || Number(time[10]) > 59)) return undefined;
  const canonical = text.toUpperCase();
  // An offset can move the first or last day's instant out of the years protobuf keeps.
  const ms = Date.parse(canonical);
  return ms >= firstInstant && ms <= lastInstant ? canonical : undefined;
}

const firstInstant = Date.parse("0001-01-01T00:00:00Z");
const lastInstant = Date.parse("9999-12-31T23:59:59.999Z");

/** Whether year, month and day (groups 1 to 3) name a day of the years 0001 to 9999. */
function dayExists(parts: RegExpExecArray): boolean {
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

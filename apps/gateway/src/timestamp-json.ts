import type { JsonSink } from "./json-sink";
import { Fallback } from "./wire-reader";

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range protobuf-es writes. */
const minSeconds = -62_135_596_800;
const maxSeconds = 253_402_300_799;
const secondsPerDay = 86_400;

/**
 * A google.protobuf.Timestamp as protobuf-es writes it: RFC 3339 in UTC with 0, 3, 6 or 9
 * fractional digits, such as "2026-11-25T09:30:00.250Z". The date comes from the seconds by
 * integer arithmetic; out of range, the caller falls back to protobuf-es (which refuses it).
 */
export function writeTimestamp(out: JsonSink, seconds: number, nanos: number): void {
  if (!(seconds >= minSeconds && seconds <= maxSeconds) || nanos < 0 || nanos > 999_999_999) throw new Fallback("timestamp out of range");
  const days = Math.floor(seconds / secondsPerDay);
  const secondOfDay = seconds - days * secondsPerDay;
  out.byte(0x22);
  writeDate(out, days);
  out.byte(0x54); // T
  out.digits(Math.floor(secondOfDay / 3600), 2);
  out.byte(0x3a);
  out.digits(Math.floor(secondOfDay / 60) % 60, 2);
  out.byte(0x3a);
  out.digits(secondOfDay % 60, 2);
  writeFraction(out, nanos);
  out.byte(0x5a); // Z
  out.byte(0x22);
}

/**
 * The civil date `days` after 1970-01-01 as YYYY-MM-DD, by Howard Hinnant's civil_from_days:
 * counted in 400-year eras of 146,097 days from 0000-03-01, so the leap day ends a year.
 */
function writeDate(out: JsonSink, days: number): void {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  out.digits(year, 4);
  out.byte(0x2d);
  out.digits(month, 2);
  out.byte(0x2d);
  out.digits(day, 2);
}

/** Nanoseconds as protobuf-es writes them: none when zero, else the fewest of 3, 6 or 9 digits. */
function writeFraction(out: JsonSink, nanos: number): void {
  if (nanos === 0) return;
  out.byte(0x2e);
  if (nanos % 1_000_000 === 0) out.digits(nanos / 1_000_000, 3);
  else if (nanos % 1000 === 0) out.digits(nanos / 1000, 6);
  else out.digits(nanos, 9);
}

import { Decimal } from "decimal.js";

/**
 * Billing arithmetic, as PSA tools do it: raw minutes are stored, billed minutes follow the
 * client's rounding policy, amounts are billed hours x rate in decimal arithmetic (never binary
 * floating point) rounded to the cent half up, the way invoices round.
 */

/** Decimal with room for any amount this platform stores, rounding half up (0.005 -> 0.01). */
const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export type RoundingDirection = "up" | "nearest" | "down";
export type RoundingScope = "per_entry" | "per_session";

/** A client's rounding policy (clients.billing_*). */
export interface BillingPolicy {
  /** Billed minutes are whole multiples of this (1 bills exact minutes). */
  incrementMinutes: number;
  direction: RoundingDirection;
  /** The least billed for any work of at least one raw minute, after rounding. */
  minimumMinutes: number;
  /** Whether each entry is rounded alone, or a session's entries as one total. */
  scope: RoundingScope;
}

/** The policy of a client that says nothing else: up to the next 15 minutes, at least 15, per entry. */
export const defaultBillingPolicy: BillingPolicy = { incrementMinutes: 15, direction: "up", minimumMinutes: 15, scope: "per_entry" };

/** Reads a policy from a client row, falling back to the defaults for anything unset. */
export function policyOf(client: Record<string, unknown>): BillingPolicy {
  const number = (value: unknown, fallback: number) => (value === null || value === undefined ? fallback : Number(value));
  const direction = client["billing_rounding_direction"];
  const scope = client["billing_rounding_scope"];
  return {
    incrementMinutes: number(client["billing_increment_minutes"], defaultBillingPolicy.incrementMinutes),
    direction: direction === "nearest" || direction === "down" ? direction : "up",
    minimumMinutes: number(client["billing_minimum_minutes"], defaultBillingPolicy.minimumMinutes),
    scope: scope === "per_session" ? "per_session" : "per_entry",
  };
}

/** Raw minutes from start to end, to the nearest whole minute (30 seconds count as a minute). */
export function rawMinutes(startedAt: Date, endedAt: Date): number {
  return Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000);
}

/**
 * Billed minutes of `raw` minutes: a whole number of increments (up, to the nearest with halves
 * going up, or down), then at least the minimum. No work (0 minutes) bills nothing.
 */
export function roundMinutes(raw: number, policy: BillingPolicy): number {
  if (raw <= 0) return 0;
  const step = Math.max(1, policy.incrementMinutes);
  let steps: number;
  switch (policy.direction) {
    case "up":
      steps = Math.ceil(raw / step);
      break;
    case "down":
      steps = Math.floor(raw / step);
      break;
    case "nearest":
      steps = Math.floor((2 * raw + step) / (2 * step));
      break;
  }
  return Math.max(steps * step, policy.minimumMinutes);
}

/**
 * Per-session rounding: the billed minutes of a session's uninvoiced billable entries, given their
 * raw minutes in order (started_at, then id). The session's raw total (invoiced entries included)
 * is rounded once; what the invoiced entries already billed is taken off, and the difference
 * between the rest and the entries' raw minutes goes on the last entries (added to the last one,
 * or taken from the last ones down to zero). The entries then add up to the rounded total, and
 * invoicing part of a session changes nothing for the rest.
 */
export function sessionShares(raws: readonly number[], policy: BillingPolicy, invoiced = { raw: 0, billed: 0 }): number[] {
  const shares = [...raws];
  if (shares.length === 0) return shares;
  const rawTotal = sum(raws);
  const target = Math.max(0, roundMinutes(rawTotal + invoiced.raw, policy) - invoiced.billed);
  let difference = target - rawTotal;
  if (difference >= 0) {
    shares[shares.length - 1] = shares[shares.length - 1]! + difference;
    return shares;
  }
  for (let i = shares.length - 1; i >= 0 && difference < 0; i--) {
    const taken = Math.min(shares[i]!, -difference);
    shares[i] = shares[i]! - taken;
    difference += taken;
  }
  return shares;
}

export type RateSource = "entry" | "project" | "client" | "none";

/** The hourly rate billed: the entry's own, else the project's, else the client's default. */
export function resolveRate(
  entryRate: string | null | undefined,
  projectRate: string | null | undefined,
  clientRate: string | null | undefined,
): { rate: string | null; source: RateSource } {
  if (entryRate) return { rate: entryRate, source: "entry" };
  if (projectRate) return { rate: projectRate, source: "project" };
  if (clientRate) return { rate: clientRate, source: "client" };
  return { rate: null, source: "none" };
}

/** billed minutes / 60 x rate, exact, rounded to the cent half up: "30.00". No rate bills "0.00". */
export function amountFor(billedMinutes: number, rate: string | null): string {
  if (rate === null || billedMinutes <= 0) return "0.00";
  return new Money(billedMinutes).times(new Money(rate)).dividedBy(60).toDecimalPlaces(2, Money.ROUND_HALF_UP).toFixed(2);
}

/** Minutes as hours with two decimals, half up: 10 minutes are "0.17". */
export function hoursOf(minutes: number): string {
  return new Money(minutes).dividedBy(60).toDecimalPlaces(2, Money.ROUND_HALF_UP).toFixed(2);
}

/** The exact sum of decimal strings (or numbers read from SQLite, which hold cents exactly enough), with two decimals. */
export function sumAmounts(amounts: Iterable<string | number>): string {
  let total = new Money(0);
  for (const amount of amounts) total = total.plus(new Money(amount));
  return total.toFixed(2);
}

/** Cents (an integer, as SQLite sums them) as a decimal string: 3000 -> "30.00". */
export function centsToAmount(cents: number | string | bigint): string {
  return new Money(String(cents)).dividedBy(100).toFixed(2);
}

/** The figures of one entry billed on its own (per entry, or the first of its session). */
export interface EntryFigures {
  rounded_minutes: number;
  effective_hourly_rate: string | null;
  rate_source: RateSource;
  amount: string;
  rounding_scope: RoundingScope;
}

/**
 * What an entry bills given its raw minutes, whether it is billable, its rate as resolved, and
 * the policy; `billedMinutes` overrides the rounding (a session share). Not billable bills 0.
 */
export function entryFigures(
  raw: number,
  billable: boolean,
  rate: { rate: string | null; source: RateSource },
  policy: BillingPolicy,
  scope: RoundingScope,
  billedMinutes?: number,
): EntryFigures {
  const rounded = billable ? (billedMinutes ?? roundMinutes(raw, policy)) : 0;
  return {
    rounded_minutes: rounded,
    effective_hourly_rate: rate.rate,
    rate_source: rate.source,
    amount: billable ? amountFor(rounded, rate.rate) : "0.00",
    rounding_scope: scope,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

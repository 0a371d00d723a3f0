import type { BillingPolicy } from "./billing";
import {
  amountFor,
  centsToAmount,
  defaultBillingPolicy,
  entryFigures,
  hoursOf,
  policyOf,
  rawMinutes,
  resolveRate,
  roundMinutes,
  sessionShares,
  sumAmounts,
} from "./billing";

const policy = (overrides: Partial<BillingPolicy> = {}): BillingPolicy => ({ ...defaultBillingPolicy, ...overrides });
const at = (time: string) => new Date(`2026-01-05T${time}Z`);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("raw minutes", () => {
  it("are whole minutes from start to end, to the nearest minute", () => {
    expect(rawMinutes(at("10:00:00"), at("10:05:00"))).toBe(5);
    expect(rawMinutes(at("10:00:00"), at("10:00:29"))).toBe(0);
    expect(rawMinutes(at("10:00:00"), at("10:00:30"))).toBe(1);
    expect(rawMinutes(at("10:00:00"), at("12:59:40"))).toBe(180);
  });
});

describe("rounding one entry", () => {
  it("bills 10:00-10:05 as 15 minutes with the default policy (up to 15, at least 15)", () => {
    expect(roundMinutes(rawMinutes(at("10:00:00"), at("10:05:00")), defaultBillingPolicy)).toBe(15);
  });

  it("rounds up to the next increment by default", () => {
    const up = policy({ minimumMinutes: 0 });
    expect([1, 14, 15, 16, 29, 30, 31, 45, 95].map((m) => roundMinutes(m, up))).toEqual([15, 15, 15, 30, 30, 30, 45, 45, 105]);
  });

  it("rounds to the nearest increment, halves going up", () => {
    const nearest = policy({ direction: "nearest", minimumMinutes: 0 });
    expect([7, 8, 22, 23, 37, 38, 95].map((m) => roundMinutes(m, nearest))).toEqual([0, 15, 15, 30, 30, 45, 90]);
    const tens = policy({ direction: "nearest", incrementMinutes: 10, minimumMinutes: 0 });
    expect([4, 5, 14, 15].map((m) => roundMinutes(m, tens))).toEqual([0, 10, 10, 20]);
  });

  it("rounds down to the increment below", () => {
    const down = policy({ direction: "down", minimumMinutes: 0 });
    expect([14, 15, 29, 44, 95].map((m) => roundMinutes(m, down))).toEqual([0, 15, 15, 30, 90]);
  });

  it("bills at least the minimum for any work, after rounding, and nothing for no work", () => {
    expect(roundMinutes(5, policy({ direction: "down" }))).toBe(15);
    expect(roundMinutes(7, policy({ direction: "nearest" }))).toBe(15);
    expect(roundMinutes(1, policy({ incrementMinutes: 6, minimumMinutes: 30 }))).toBe(30);
    expect(roundMinutes(31, policy({ incrementMinutes: 6, minimumMinutes: 30 }))).toBe(36);
    expect(roundMinutes(0, defaultBillingPolicy)).toBe(0);
    expect(roundMinutes(7, policy({ incrementMinutes: 1, minimumMinutes: 0 }))).toBe(7);
  });
});

describe("rounding per entry or per session total", () => {
  it("45 + 45 + 5 minutes bill 105 per entry (45 + 45 + 15)", () => {
    const billed = [45, 45, 5].map((m) => roundMinutes(m, defaultBillingPolicy));
    expect(billed).toEqual([45, 45, 15]);
    expect(sum(billed)).toBe(105);
  });

  it("45 + 45 + 5 minutes bill 90 as a session total rounded to the nearest 15, 105 per entry", () => {
    const nearest = policy({ direction: "nearest" });
    expect(sum([45, 45, 5].map((m) => roundMinutes(m, nearest)))).toBe(105); // 45 + 45 + 15 (the minimum)
    const shares = sessionShares([45, 45, 5], { ...nearest, scope: "per_session" });
    expect(shares).toEqual([45, 45, 0]); // 95 -> 90: the 5 minutes over go off the last entry
    expect(sum(shares)).toBe(90);
  });

  it("10 + 10 + 10 minutes bill 30 as a session total, 45 per entry", () => {
    expect(sum([10, 10, 10].map((m) => roundMinutes(m, defaultBillingPolicy)))).toBe(45);
    const shares = sessionShares([10, 10, 10], { ...defaultBillingPolicy, scope: "per_session" });
    expect(shares).toEqual([10, 10, 10]);
  });

  it("puts the rounding of a session total on its last entry, and takes it from the last entries when rounding down", () => {
    const perSession = policy({ scope: "per_session" });
    expect(sessionShares([10, 10, 5], perSession)).toEqual([10, 10, 10]); // 25 -> 30
    expect(sessionShares([5], perSession)).toEqual([15]); // the minimum applies to the session
    const down = policy({ scope: "per_session", direction: "down", minimumMinutes: 0 });
    expect(sessionShares([20, 2, 3], down)).toEqual([15, 0, 0]); // 25 -> 15
    expect(sessionShares([], perSession)).toEqual([]);
  });

  it("rounds the whole session once even when part of it is invoiced, without touching the invoiced part", () => {
    const perSession = policy({ scope: "per_session" });
    // 10 + 10 + 5 billed 10 + 10 + 10; the first two invoiced: the last still bills 10 (30 - 20).
    expect(sessionShares([5], perSession, { raw: 20, billed: 20 })).toEqual([10]);
    // The invoiced part already billed more than the whole session rounds to: the rest bills nothing.
    expect(sessionShares([3], policy({ scope: "per_session", direction: "down", minimumMinutes: 0 }), { raw: 20, billed: 30 })).toEqual([
      0,
    ]);
  });
});

describe("rates", () => {
  it("fall back from the entry to the project to the client", () => {
    expect(resolveRate("150.00", "135.00", "120.00")).toEqual({ rate: "150.00", source: "entry" });
    expect(resolveRate(null, "135.00", "120.00")).toEqual({ rate: "135.00", source: "project" });
    expect(resolveRate(undefined, null, "120.00")).toEqual({ rate: "120.00", source: "client" });
    expect(resolveRate(null, null, null)).toEqual({ rate: null, source: "none" });
  });
});

describe("amounts", () => {
  it("are billed hours x rate, exact to the cent", () => {
    expect(amountFor(15, "120")).toBe("30.00");
    expect(amountFor(105, "120.00")).toBe("210.00");
    expect(amountFor(10, "100.00")).toBe("16.67"); // 16.666...
    expect(amountFor(1, "0.01")).toBe("0.00"); // 0.000166...
    expect(amountFor(15, "0.10")).toBe("0.03"); // 0.025 -> half up
    expect(amountFor(10080, "99999999.99")).toBe("16799999998.32");
  });

  it("round half up: 7 minutes at 99.99/h are 11.6655, billed 11.67", () => {
    expect(amountFor(7, "99.99")).toBe("11.67");
  });

  it("are right where binary floating point loses a cent", () => {
    // 90 minutes at 99.99/h are 149.985 exactly: 149.99. In floating point, 149.98499999999999: 149.98.
    expect(amountFor(90, "99.99")).toBe("149.99");
    expect(Math.round((90 / 60) * 99.99 * 100) / 100).toBe(149.98);
    expect(amountFor(5, "95.10")).toBe("7.93"); // 7.925; floating point: 7.924999999999999
  });

  it("are nothing without a rate, minutes or billability", () => {
    expect(amountFor(15, null)).toBe("0.00");
    expect(amountFor(0, "120.00")).toBe("0.00");
    expect(entryFigures(5, false, { rate: "120.00", source: "client" }, defaultBillingPolicy, "per_entry")).toEqual({
      rounded_minutes: 0,
      effective_hourly_rate: "120.00",
      rate_source: "client",
      amount: "0.00",
      rounding_scope: "per_entry",
    });
  });

  it("add up exactly where floating point does not", () => {
    expect(sumAmounts(["0.10", "0.20", "0.30"])).toBe("0.60");
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(sumAmounts(Array.from({ length: 1000 }, () => "11.67"))).toBe("11670.00");
    expect(centsToAmount(3000)).toBe("30.00");
    expect(centsToAmount("1167")).toBe("11.67");
  });

  it("turn minutes into hours with two decimals", () => {
    expect(hoursOf(15)).toBe("0.25");
    expect(hoursOf(10)).toBe("0.17");
    expect(hoursOf(105)).toBe("1.75");
  });
});

describe("policies", () => {
  it("are read from a client row, with the defaults for what is unset", () => {
    expect(policyOf({})).toEqual(defaultBillingPolicy);
    expect(
      policyOf({
        billing_increment_minutes: 6,
        billing_rounding_direction: "nearest",
        billing_minimum_minutes: "0",
        billing_rounding_scope: "per_session",
      }),
    ).toEqual({ incrementMinutes: 6, direction: "nearest", minimumMinutes: 0, scope: "per_session" });
  });
});

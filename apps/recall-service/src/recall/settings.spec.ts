import { recallSettingsFromEnv } from "./settings";

describe("recallSettingsFromEnv", () => {
  it("defaults the half-life to 30 days, the scope cache to 64 MiB and the host budget to 300 ms, and reads them from the environment", () => {
    expect(recallSettingsFromEnv({})).toEqual({ halfLifeDays: 30, cacheMiB: 64, hostBudgetMs: 300, contextSummary: "deterministic" });
    expect(
      recallSettingsFromEnv({
        RECALL_HALF_LIFE_DAYS: " 7.5 ",
        RECALL_CACHE_MB: "0",
        RECALL_HOST_BUDGET_MS: "0",
        RECALL_CONTEXT_SUMMARY: " Model ",
      }),
    ).toEqual({
      halfLifeDays: 7.5,
      cacheMiB: 0,
      hostBudgetMs: 0,
      contextSummary: "model",
    });
  });

  it("refuses a value that is not a sensible number, naming the variable", () => {
    for (const bad of ["abc", "0", "-3", "100000", "Infinity"]) {
      expect(() => recallSettingsFromEnv({ RECALL_HALF_LIFE_DAYS: bad })).toThrow(/RECALL_HALF_LIFE_DAYS/);
    }
    for (const bad of ["lots", "-1", "5000", "NaN"]) {
      expect(() => recallSettingsFromEnv({ RECALL_CACHE_MB: bad })).toThrow(/RECALL_CACHE_MB/);
    }
    for (const bad of ["soon", "-1", "60000"]) {
      expect(() => recallSettingsFromEnv({ RECALL_HOST_BUDGET_MS: bad })).toThrow(/RECALL_HOST_BUDGET_MS/);
    }
    expect(() => recallSettingsFromEnv({ RECALL_CONTEXT_SUMMARY: "llm" })).toThrow(
      /RECALL_CONTEXT_SUMMARY: must be deterministic or model/,
    );
  });
});

import { recallSettingsFromEnv } from "./settings";

describe("recallSettingsFromEnv", () => {
  it("defaults the half-life to 30 days and reads RECALL_HALF_LIFE_DAYS", () => {
    expect(recallSettingsFromEnv({})).toEqual({ halfLifeDays: 30 });
    expect(recallSettingsFromEnv({ RECALL_HALF_LIFE_DAYS: " 7.5 " })).toEqual({ halfLifeDays: 7.5 });
  });

  it("refuses a value that is not a sensible number of days, naming the variable", () => {
    for (const bad of ["abc", "0", "-3", "100000", "Infinity"]) {
      expect(() => recallSettingsFromEnv({ RECALL_HALF_LIFE_DAYS: bad })).toThrow(/RECALL_HALF_LIFE_DAYS/);
    }
  });
});

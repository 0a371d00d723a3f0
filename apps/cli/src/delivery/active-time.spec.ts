import { activeTimeOf } from "./active-time";

describe("activeTimeOf", () => {
  it("adds the gaps between records and leaves out pauses longer than ten minutes", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute)).toISOString();
    expect(activeTimeOf([at(0), at(5), at(9), at(40), at(42), undefined, "not a time"])).toEqual({
      startedAt: at(0),
      endedAt: at(42),
      activeMinutes: 11,
    });
  });

  it("gives zero minutes and no times without timestamps", () => {
    expect(activeTimeOf([])).toEqual({ activeMinutes: 0 });
  });
});

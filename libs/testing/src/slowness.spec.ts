import { describeDeadline, scaled, testSlowness, withSlowness } from "./slowness";

describe("test deadlines", () => {
  it("are five times a usual machine's, times MSP_TEST_SLOWNESS", () => {
    expect(scaled(1_000, {})).toBe(5_000);
    expect(scaled(1_000, { MSP_TEST_SLOWNESS: "3" })).toBe(15_000);
    expect(scaled(1_000, { MSP_TEST_SLOWNESS: "1.5" })).toBe(7_500);
    expect(withSlowness(60_000, {})).toBe(60_000);
    expect(withSlowness(60_000, { MSP_TEST_SLOWNESS: "2" })).toBe(120_000);
  });

  it("refuse a slowness that is not a number of at least 1, naming the variable", () => {
    expect(testSlowness({ MSP_TEST_SLOWNESS: " " })).toBe(1);
    for (const bad of ["fast", "0.5", "0", "-2", "Infinity"]) {
      expect(() => testSlowness({ MSP_TEST_SLOWNESS: bad })).toThrow(`MSP_TEST_SLOWNESS must be a number of at least 1`);
    }
  });

  it("say how long they were and how to give a slow machine more", () => {
    expect(describeDeadline(30_000, {})).toBe("30 s; set MSP_TEST_SLOWNESS to give a slow machine more");
    expect(describeDeadline(90_000, { MSP_TEST_SLOWNESS: "3" })).toBe("90 s (MSP_TEST_SLOWNESS=3)");
  });
});

import { createLoginThrottle, loginThrottled } from "./login-throttle";

describe("createLoginThrottle", () => {
  let now = 1_000_000;
  const clock = () => now;

  it("lets a source fail up to the limit, then makes it wait out the rest of its window", () => {
    const throttle = createLoginThrottle({ maxFailures: 3, windowSeconds: 60, now: clock });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds("10.0.0.1")).toBe(0);
      throttle.failed("10.0.0.1");
      now += 1_000;
    }
    // The window opened with the first failure, three seconds ago: 57 seconds are left.
    expect(throttle.retryAfterSeconds("10.0.0.1")).toBe(57);
    expect(throttle.retryAfterSeconds("10.0.0.2")).toBe(0);
    now += 56_500;
    expect(throttle.retryAfterSeconds("10.0.0.1")).toBe(1);
    now += 500;
    expect(throttle.retryAfterSeconds("10.0.0.1")).toBe(0);
    // A new window starts with the next failure.
    throttle.failed("10.0.0.1");
    expect(throttle.retryAfterSeconds("10.0.0.1")).toBe(0);
  });

  it("counts callers without an address together", () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowSeconds: 10, now: clock });
    throttle.failed(undefined);
    expect(throttle.retryAfterSeconds(undefined)).toBe(10);
  });

  it("remembers at most maxSources sources, forgetting the oldest first", () => {
    const throttle = createLoginThrottle({ maxFailures: 1, windowSeconds: 60, now: clock, maxSources: 2 });
    throttle.failed("a");
    throttle.failed("b");
    throttle.failed("c");
    expect(["a", "b", "c"].map((source) => throttle.retryAfterSeconds(source) > 0)).toEqual([false, true, true]);
  });

  it("refuses with RESOURCE_EXHAUSTED saying when to try again", () => {
    expect(loginThrottled(1)).toMatchObject({
      code: "resource_exhausted",
      message: "too many failed logins from this address: try again in 1 second",
    });
    expect(loginThrottled(30).message).toBe("too many failed logins from this address: try again in 30 seconds");
  });
});

import { existsSync } from "node:fs";
import { tempDir } from "../test-support/temp-dirs";
import { join } from "node:path";
import { markReachable, markUnreachable, reachabilityObserver, recentlyUnreachable } from "./reachability";

const unreachable = new Error("ECONNREFUSED");
const isUnreachable = (error: unknown) => error === unreachable;

describe("platform reachability (the hooks' circuit breaker)", () => {
  it("is down for a while after the platform did not answer, then tries again", () => {
    const cache = tempDir("msp-cache-");
    expect(recentlyUnreachable(cache)).toBe(false);
    markUnreachable(cache);
    expect(recentlyUnreachable(cache)).toBe(true);
    expect(recentlyUnreachable(cache, 30_000, Date.now() + 31_000)).toBe(false);
    markReachable(cache);
    expect(recentlyUnreachable(cache)).toBe(false);
  });

  it("follows a process's calls: a refused call marks it down, an answer (even an error answer) clears it", () => {
    const cache = tempDir("msp-cache-");
    const first = reachabilityObserver(cache, isUnreachable);
    expect(first.down()).toBe(false);
    first.observe(unreachable);
    expect(first.down()).toBe(true);
    expect(reachabilityObserver(cache, isUnreachable).down()).toBe(true); // the next hook process knows
    const later = reachabilityObserver(cache, isUnreachable);
    later.observe(new Error("404 not found"));
    expect(later.down()).toBe(false);
    expect(existsSync(join(cache, "platform-unreachable"))).toBe(false);
  });
});

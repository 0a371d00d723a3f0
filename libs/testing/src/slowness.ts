/**
 * How much slower than a usual developer machine the tests may run. Deadlines in tests (a request's
 * answer, a process's start, jest's timeout of a test) exist to turn a hang into a failure, never
 * to measure speed: they are generous for a machine five times slower than usual, and
 * MSP_TEST_SLOWNESS (a number, 1 by default) multiplies them for a machine slower still, such as
 * a CI runner under load (MSP_TEST_SLOWNESS=3 gives every deadline three times as long).
 */
export const slownessVariable = "MSP_TEST_SLOWNESS";

/** How many usual machines' time a machine this slow needs: what every deadline is written for. */
export const slowMachineFactor = 5;

/** MSP_TEST_SLOWNESS as a number (1 when unset); a value that is not a number >= 1 stops the run. */
export function testSlowness(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[slownessVariable]?.trim();
  if (raw === undefined || raw === "") return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 1) {
    throw new Error(`${slownessVariable} must be a number of at least 1 (how many times longer every test deadline is), not "${raw}"`);
  }
  return value;
}

/**
 * A deadline of `usualMs` (what the step takes on a usual machine, with its margin) made long
 * enough for a machine five times slower, times MSP_TEST_SLOWNESS. For one step: one request,
 * one process start, one test; a run of many steps budgets by their count, not by a total.
 */
export function scaled(usualMs: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.ceil(usualMs * slowMachineFactor * testSlowness(env));
}

/** A deadline's length for a message: "75 s (MSP_TEST_SLOWNESS=3)". */
export function describeDeadline(ms: number, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[slownessVariable]?.trim();
  return `${Math.round(ms / 100) / 10} s${given ? ` (${slownessVariable}=${given})` : `; set ${slownessVariable} to give a slow machine more`}`;
}

/** A deadline already written for a slow machine (a whole test file's jest timeout), times MSP_TEST_SLOWNESS. */
export function withSlowness(ms: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.ceil(ms * testSlowness(env));
}

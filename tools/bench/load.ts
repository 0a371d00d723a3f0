/** Latency and throughput of one scenario. */
export interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Runs `call` from `concurrency` loops for `seconds` (after a warm-up that is not measured)
 * and reports throughput and latency percentiles in milliseconds.
 */
export async function runLoad(call: () => Promise<unknown>, concurrency: number, seconds: number, warmupSeconds = 2): Promise<LoadResult> {
  const run = async (untilMs: number, latencies: number[] | undefined): Promise<number> => {
    let errors = 0;
    const loop = async () => {
      while (performance.now() < untilMs) {
        const started = performance.now();
        try {
          await call();
        } catch {
          errors++;
        }
        latencies?.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return errors;
  };
  await run(performance.now() + warmupSeconds * 1000, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(started + seconds * 1000, latencies);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    calls: latencies.length,
    errors,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
  };
}

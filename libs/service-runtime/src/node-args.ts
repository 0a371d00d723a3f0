/**
 * Node options each process of the platform starts with: V8 reads heap settings only at start-up,
 * so whatever starts the processes (`npm start`, the test and benchmark stacks) passes them.
 *
 * The gateway turns large gRPC responses into JSON (a session timeline: 650 KB in, 1.1 MB out).
 * With V8's default initial old-generation limit its small heap ran a full collection every few
 * such requests, counting the array buffers of responses toward that limit; those pauses and the
 * marking before them were half the gateway's CPU per timeline and most of the call's p95. An
 * initial limit of 128 MB stops that without a larger resident size (about 240 MB either way,
 * mostly code); BENCHMARKS.md has the figures.
 */
const nodeArgsByApp: Readonly<Record<string, readonly string[]>> = {
  gateway: ["--initial-old-space-size=128"],
};

/** The node options of an app of the platform, by its name (gateway, work-service, recall-service). */
export function nodeArgsOf(app: string): string[] {
  return [...(nodeArgsByApp[app] ?? [])];
}

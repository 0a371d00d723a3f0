import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LoadResult } from "./load";

const run = promisify(execFile);

/** True when nghttp2's h2load (Debian package nghttp2-client) is installed. */
export async function hasH2load(): Promise<boolean> {
  return run("h2load", ["--version"]).then(
    () => true,
    () => false,
  );
}

/**
 * Drives one unary gRPC method with h2load, a C load generator whose own cost per call is far
 * below grpc-js's, so the figures show the service rather than the client. `message` is the
 * encoded request; every call sends the same one.
 */
export async function h2loadUnary(
  url: string,
  message: Uint8Array,
  streams: number,
  seconds: number,
  headers: string[] = [],
): Promise<LoadResult> {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  const args = ["-c", "1", "-m", String(streams), "-H", "content-type: application/grpc", "-H", "te: trailers"];
  return h2load(url, [...args, ...headers.flatMap((h) => ["-H", h])], seconds, frame);
}

/** GETs `url` over HTTP/1.1 from `connections` keep-alive connections, one request in flight on each. */
export function h2loadGet(url: string, connections: number, seconds: number, headers: string[] = []): Promise<LoadResult> {
  return h2load(url, ["--h1", "-c", String(connections), "-m", "1", ...headers.flatMap((h) => ["-H", h])], seconds);
}

async function h2load(url: string, options: string[], seconds: number, body?: Buffer): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "msp-h2load-"));
  try {
    const args = [...options, "-D", String(seconds), "--warm-up-time", "2"];
    if (body) {
      writeFileSync(join(dir, "request.bin"), body);
      args.push("-d", join(dir, "request.bin"));
    }
    args.push("--log-file", join(dir, "log.tsv"), url);
    const { stdout } = await run("h2load", args, { maxBuffer: 16 * 1024 * 1024 });
    const failed = /(\d+) failed, (\d+) errored/.exec(stdout);
    // Each log line: start time (µs), HTTP status, duration (µs).
    const lines = readFileSync(join(dir, "log.tsv"), "utf8").trim().split("\n");
    const notOk = lines.filter((line) => !/^2\d\d$/.test(line.split("\t")[1] ?? "")).length;
    const latencies = lines.map((line) => Number(line.split("\t")[2]) / 1000).sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return {
      calls: latencies.length,
      errors: notOk + (failed ? Number(failed[1]) + Number(failed[2]) : 0),
      seconds,
      perSecond: latencies.length / seconds,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

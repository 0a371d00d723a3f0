import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * A free TCP port on loopback, for a process that must be told its port before it starts.
 *
 * It is picked below the kernel's ephemeral range: a port the kernel handed out for `listen(0)`
 * and then freed is soon handed out again as the local port of some outgoing connection (the
 * tests open thousands), and the process told to bind it failed with EADDRINUSE under load. Ports
 * below the range are only ever taken on purpose.
 */
export async function freePort(): Promise<number> {
  const [low, high] = belowEphemeralRange();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  return listenOnAnyPort();
}

/** 20000 up to the start of the ephemeral range (32768 on Linux by default). */
function belowEphemeralRange(): [number, number] {
  try {
    const first = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 21_000) return [20_000, first];
  } catch {
    // Not Linux, or no /proc: the usual range.
  }
  return [20_000, 32_768];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

function listenOnAnyPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

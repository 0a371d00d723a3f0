/* eslint-disable @typescript-eslint/no-require-imports -- node:net loads only when a hook probes */

/**
 * Whether the server of `url` refuses a TCP connection (nothing listens, the host is unknown or
 * unreachable): one connect, no request. A connection made, or none within `waitMs` (a slow
 * network is no proof of a platform down), answers false.
 */
export function connectionRefused(url: string, waitMs: number): Promise<boolean> {
  const target = new URL(url);
  const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1"); // an IPv6 address without its brackets
  const { connect } = require("node:net") as typeof import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (refused: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => settle(false), Math.max(1, waitMs));
    socket.once("connect", () => settle(false));
    socket.once("error", () => settle(true));
  });
}

/**
 * Warm spares. Loading a service's code takes most of its start-up (2-4 s here, mostly module
 * loading), so `npm start` keeps a spare process of each app loaded but not serving
 * (MSP_STANDBY=1, with an IPC channel) and tells it to serve when the running one dies: the
 * service is back in well under a second plus its database start-up, instead of a cold start.
 */
export const standbyVariable = "MSP_STANDBY";

/** The messages between the supervisor and a spare. */
export const standbyMessages = { ready: "standing-by", serve: "serve" } as const;

/**
 * Resolves at once, unless this process is a spare: then it tells the supervisor it is ready
 * and resolves when told to serve. A spare whose supervisor is gone exits; a promoted process
 * whose supervisor is gone stops gracefully (SIGTERM), as it would on Ctrl-C.
 */
export function awaitTurnToServe(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const send = process.send?.bind(process);
  if (env[standbyVariable] !== "1" || send === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    let serving = false;
    process.once("disconnect", () => (serving ? process.kill(process.pid, "SIGTERM") : process.exit(0)));
    process.on("message", (message) => {
      if (message !== standbyMessages.serve || serving) return;
      serving = true;
      resolve();
    });
    send(standbyMessages.ready);
  });
}

import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { createFileRegistry } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "@msp/logging";
import { loadDescriptorSet, openApiPath } from "@msp/proto";
import type { AuthGate } from "./auth-gate";
import type { Backends } from "./backends";
import { connectContextValues, connectRoutes, mspServices } from "./connect-routes";
import { createDocsHandler, createOpenApiHandler } from "./docs-page";
import { createForwarder } from "./forwarder";
import { retryAfterSeconds } from "./http-errors";
import { createRestHandler } from "./rest-handler";
import { buildRestRoutes } from "./rest-routes";

export interface GatewayServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  gate: AuthGate;
  backends: Backends;
  logger: Logger;
}

/** A listening gateway and how to stop it (stop accepting, let in-flight calls finish). */
export interface RunningGateway {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * The one HTTP door: /api/openapi.json, /api/docs, REST routes from google.api.http, and
 * Connect / gRPC-web at /<package>.<Service>/<Method>; everything built from the descriptors.
 */
export async function startGatewayServer(options: GatewayServerOptions): Promise<RunningGateway> {
  const registry = createFileRegistry(loadDescriptorSet());
  const forward = createForwarder(options.gate, options.backends);
  const rest = createRestHandler({
    routes: buildRestRoutes(registry),
    forward,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
  });
  const openApi = createOpenApiHandler("/api/openapi.json", readFileSync(openApiPath));
  const docs = createDocsHandler({ openApiPath: "/api/openapi.json" });
  const connect = connectNodeAdapter({
    routes: connectRoutes(mspServices(registry), forward, options.maxBodyBytes),
    readMaxBytes: options.maxBodyBytes,
    // As over REST: an unknown field or enum value is refused, not silently dropped (a typo in
    // "taskType" would otherwise create a task of the default type).
    jsonOptions: { ignoreUnknownFields: false },
    contextValues: connectContextValues,
    fallback: (req, res) => rest(req as IncomingMessage, res as ServerResponse),
  });

  const server = createServer((req, res) => {
    // Every answer's content type is the one to use: a browser must not guess HTML or script
    // from a JSON error that quotes what the caller sent.
    res.setHeader("x-content-type-options", "nosniff");
    const path = req.url?.split("?")[0];
    if (req.method === "GET" && path === "/api/ready") {
      void answerReadiness(res, options.backends, options.logger);
      return;
    }
    if (openApi(req, res) || docs(req, res)) return;
    connect(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}

/**
 * GET /api/ready: 200 when every service answers its health check, else 503 with Retry-After,
 * each service named with "serving" or "unavailable". For load balancers and for whoever restarts
 * a process and waits for it to serve through this gateway; no token needed, nothing secret told.
 */
async function answerReadiness(res: ServerResponse, backends: Backends, logger: Logger): Promise<void> {
  let serving: Record<string, boolean>;
  try {
    serving = await backends.serving();
  } catch (error) {
    logger.error({ err: error }, "readiness check failed");
    serving = {};
  }
  const ready = Object.keys(serving).length > 0 && Object.values(serving).every(Boolean);
  const services = Object.fromEntries(Object.entries(serving).map(([name, up]) => [name, up ? "serving" : "unavailable"]));
  res.writeHead(ready ? 200 : 503, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...(ready ? {} : { "retry-after": retryAfterSeconds }),
  });
  res.end(JSON.stringify({ ready, services }));
}

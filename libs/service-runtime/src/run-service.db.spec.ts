// startService and loadServiceConfig with a small module of their own, over a real test database:
// settings read with every problem listed, handlers served, workers started after the server and
// stopped before the database closes.
import { randomBytes } from "node:crypto";
import { z } from "@msp/config";
import type { Handlers } from "@msp/grpc-kit";
import { Client, ClientServiceClient, ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { call, connect, startTestService } from "@msp/testing";
import { loadServiceConfig } from "./main-of";
import type { ServiceModule } from "./service-module";

const events: string[] = [];
const never = () => Promise.reject(new Error("not in this test"));
const handlers: Handlers<typeof ClientServiceService> = {
  getClient: (request) => Promise.resolve(Client.fromPartial({ id: request.id, name: "Acme", etag: "e" })),
  listClients: never,
  createClient: never,
  updateClient: never,
  deleteClient: never,
};

/** A module named as a registered service, with a setting of its own and one worker. */
const testModule: ServiceModule<{ greeting: string; batch: number }> = {
  name: "work-service",
  models: [],
  config: z
    .object({ TEST_GREETING: z.string().min(2).default("hello"), TEST_BATCH: z.coerce.number().int().min(1).default(10) })
    .transform((env) => ({ greeting: env.TEST_GREETING, batch: env.TEST_BATCH })),
  setUp(host, { db, config }) {
    events.push(`set up with ${config.greeting} x${config.batch}`);
    host.serve(ClientServiceService, handlers);
    host.run({
      name: "test worker",
      start: () => void events.push("worker started"),
      stop: async () => {
        // The database is still open while a worker stops: it can write what it holds.
        await db.sequelize.query("SELECT 1");
        events.push("worker stopped");
      },
    });
  },
};

describe("loadServiceConfig", () => {
  it("reads the platform's settings and the service's own", () => {
    const { config, own } = loadServiceConfig(testModule, {
      MSP_JWT_SECRET: randomBytes(32).toString("hex"),
      WORK_SERVICE_PORT: "6001",
      RECALL_SERVICE_ADDRESSES: "10.0.0.1:7000,10.0.0.2:7000",
      TEST_BATCH: "25",
    });
    expect(own).toEqual({ greeting: "hello", batch: 25 });
    expect(config).toMatchObject({
      port: 6001,
      peers: { "recall-service": ["10.0.0.1:7000", "10.0.0.2:7000"], identity: ["127.0.0.1:50050"] },
    });
  });

  it("lists every problem of both at once", () => {
    expect(() =>
      loadServiceConfig(testModule, { MSP_JWT_SECRET: "short", WORK_SERVICE_PORT: "70000", TEST_GREETING: "x", TEST_BATCH: "none" }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^MSP_JWT_SECRET: must be at least 32 characters/),
          expect.stringMatching(/^WORK_SERVICE_PORT: /),
          expect.stringMatching(/^TEST_GREETING: /),
          expect.stringMatching(/^TEST_BATCH: /),
        ],
      }),
    );
  });
});

describe("startService", () => {
  it("serves the module's handlers, runs its worker, and stops the worker before the database closes", async () => {
    events.length = 0;
    const service = await startTestService(testModule, { env: { TEST_GREETING: "hi" } });
    const client = connect(ClientServiceClient, service);
    try {
      expect(events).toEqual(["set up with hi x10", "worker started"]);
      await expect(call(client, "getClient", { id: "c-1" })).resolves.toMatchObject({ id: "c-1", name: "Acme" });
    } finally {
      client.close();
      await service.stop();
    }
    expect(events).toEqual(["set up with hi x10", "worker started", "worker stopped"]);
  });
});

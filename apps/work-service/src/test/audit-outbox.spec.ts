import { status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call } from "@msp/testing";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { WorkStack } from "./work-test-stack";
import { expectStatus, startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

interface OutboxRow {
  method: string;
  resource_type: string;
  resource_id: string;
  action: string;
  principal: string;
  request_summary: unknown;
}

const outbox = () =>
  stack.service.service.db.sequelize.query<OutboxRow>(
    "SELECT method, resource_type, resource_id, action, principal, request_summary FROM audit_outbox ORDER BY id",
    {
      type: QueryTypes.SELECT,
    },
  );

describe("audit outbox", () => {
  it("records every mutation in its transaction, and nothing for a refused one", async () => {
    const before = (await outbox()).length;
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Audited" }) });
    await call(stack.clients, "updateClient", { client: Client.fromPartial({ id: client.id, notes: "note" }), updateMask: [] });
    await expectStatus(call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Audited" }) }), status.ALREADY_EXISTS);
    await expectStatus(
      call(stack.clients, "updateClient", { client: Client.fromPartial({ id: client.id, etag: "stale" }), updateMask: [] }),
      status.ABORTED,
    );
    await call(stack.clients, "deleteClient", { id: client.id, etag: "" });

    const events = (await outbox()).slice(before);
    expect(events.map((e) => [e.method, e.action, e.resource_id])).toEqual([
      ["msp.work.v1.ClientService/CreateClient", "create", client.id],
      ["msp.work.v1.ClientService/UpdateClient", "update", client.id],
      ["msp.work.v1.ClientService/DeleteClient", "delete", client.id],
    ]);
    expect(events.every((e) => e.resource_type === "client" && e.principal !== "")).toBe(true);
    const summary = typeof events[1]!.request_summary === "string" ? JSON.parse(events[1]!.request_summary) : events[1]!.request_summary;
    expect(summary).toMatchObject({ notes: "note" });
  });
});

import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Client, ClientType } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

describe("ClientService", () => {
  it("creates, reads, updates with and without a mask, and deletes a client", async () => {
    const created = await call(stack.clients, "createClient", {
      client: { id: "", etag: "", name: "  Acme Corp ", defaultHourlyRate: "120", networkSubnet: "10.0.0.0/24" },
    });
    expect(created.name).toBe("Acme Corp");
    expect(created.clientType).toBe(ClientType.CLIENT_TYPE_MSP_CLIENT);
    expect(created.isActive).toBe(true);
    expect(created.defaultHourlyRate).toBe("120.00");
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.createdAt).toBeInstanceOf(Date);

    const got = await call(stack.clients, "getClient", { id: created.id });
    expect(got).toEqual(created);

    // Without a mask, the fields present change and the others stay.
    const renamed = await call(stack.clients, "updateClient", {
      client: Client.fromPartial({ id: created.id, etag: created.etag, notes: "VIP" }),
      updateMask: [],
    });
    expect(renamed.notes).toBe("VIP");
    expect(renamed.name).toBe("Acme Corp");
    expect(renamed.etag).not.toBe(created.etag);

    // With a mask, a named field that is absent is cleared.
    const cleared = await call(stack.clients, "updateClient", {
      client: Client.fromPartial({ id: created.id, etag: "", name: "ignored" }),
      updateMask: ["notes"],
    });
    expect(cleared.notes).toBeUndefined();
    expect(cleared.name).toBe("Acme Corp");

    // A stale etag is refused, on update and on delete.
    await expectStatus(
      call(stack.clients, "updateClient", {
        client: Client.fromPartial({ id: created.id, etag: created.etag, notes: "x" }),
        updateMask: [],
      }),
      status.ABORTED,
      /stale etag/,
    );
    await expectStatus(call(stack.clients, "deleteClient", { id: created.id, etag: created.etag }), status.ABORTED);

    await call(stack.clients, "deleteClient", { id: created.id, etag: cleared.etag });
    await expectStatus(call(stack.clients, "getClient", { id: created.id }), status.NOT_FOUND, created.id);
  });

  it("refuses a second client with the same name", async () => {
    await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Unique Ltd" }) });
    await expectStatus(
      call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Unique Ltd" }) }),
      status.ALREADY_EXISTS,
      /name/,
    );
  });

  it("refuses to delete a client that still has projects, and lets it be archived", async () => {
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Has Projects" }) });
    await call(stack.projects, "createProject", {
      project: Project.fromPartial({ clientId: client.id, name: "Site", slug: "has-projects-site" }),
    });
    await expectStatus(call(stack.clients, "deleteClient", { id: client.id, etag: "" }), status.FAILED_PRECONDITION, /archive/);
    const archived = await call(stack.clients, "updateClient", {
      client: Client.fromPartial({ id: client.id, etag: "", isActive: false }),
      updateMask: ["is_active"],
    });
    expect(archived.isActive).toBe(false);
    const active = await call(stack.clients, "listClients", { pageSize: 500, pageToken: "", filter: "is_active = false", orderBy: "" });
    expect(active.clients.map((c) => c.id)).toContain(client.id);
  });

  it("orders by name both ways", async () => {
    for (const name of ["Order B", "Order A", "Order C"])
      await call(stack.clients, "createClient", { client: Client.fromPartial({ name }) });
    const asc = await call(stack.clients, "listClients", {
      pageSize: 0,
      pageToken: "",
      filter: 'name >= "Order" AND name < "Orders"',
      orderBy: "name",
    });
    expect(asc.clients.map((c) => c.name)).toEqual(["Order A", "Order B", "Order C"]);
    const desc = await call(stack.clients, "listClients", {
      pageSize: 0,
      pageToken: "",
      filter: 'name >= "Order" AND name < "Orders"',
      orderBy: "name desc",
    });
    expect(desc.clients.map((c) => c.name)).toEqual(["Order C", "Order B", "Order A"]);
  });
});

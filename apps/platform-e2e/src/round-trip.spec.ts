// Issue 3: a client's whole life through the gateway's REST routes (create, get, filtered paging,
// masked update, stale etag, delete), and the same data over Connect (JSON and binary) and over
// plain gRPC straight to the work service.
import { status } from "@grpc/grpc-js";
import { bearerMetadata, call, connect, expectStatus, withSlowness } from "@msp/testing";
import type { ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Client, ClientServiceClient as ClientServiceClientCtor, GetClientRequest } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

jest.setTimeout(withSlowness(60_000));

let platform: PlatformStack;
let token: string;
let grpc: ClientServiceClient;

beforeAll(async () => {
  platform = await startPlatform();
  token = await platform.login();
  grpc = connect(ClientServiceClientCtor, platform.workAddress);
}, 120_000);

afterAll(async () => {
  grpc?.close();
  await platform?.stop();
}, 60_000);

/** REST and Connect JSON and the converted gRPC message compare equal once timestamps are in one RFC 3339 form. */
function canonical(json: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries<unknown>(json)) {
    out[key] = typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value) ? new Date(value).toISOString() : value;
  }
  return out;
}

/** A grpc-js (ts-proto) Client in the JSON form: lowerCamel names, enums by name, timestamps as RFC 3339. */
const asJson = (client: Client): Json => canonical(Client.toJSON(client));

const rest = (method: string, path: string, body?: unknown) =>
  platform.api(method, path, { token, ...(body !== undefined ? { body } : {}) });

async function connectJson(method: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${platform.baseUrl}/msp.work.v1.ClientService/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function connectBinaryGet(id: string): Promise<{ status: number; bytes: Uint8Array; contentType: string | null }> {
  const response = await fetch(`${platform.baseUrl}/msp.work.v1.ClientService/GetClient`, {
    method: "POST",
    headers: { "content-type": "application/proto", authorization: `Bearer ${token}` },
    body: GetClientRequest.encode({ id }).finish(),
  });
  return {
    status: response.status,
    bytes: new Uint8Array(await response.arrayBuffer()),
    contentType: response.headers.get("content-type"),
  };
}

const grpcGet = (id: string) => call(grpc, "getClient", { id }, bearerMetadata(token));

describe("a client through REST, Connect and gRPC", () => {
  let created: Json;

  it("creates a client with POST and reads it back with GET", async () => {
    const post = await rest("POST", "/api/v1/clients", {
      name: "Round Trip Ltd",
      domainName: "roundtrip.example",
      defaultHourlyRate: "95",
    });
    expect(post.status).toBe(200);
    created = post.json;
    expect(created).toMatchObject({
      name: "Round Trip Ltd",
      domainName: "roundtrip.example",
      defaultHourlyRate: "95.00",
      clientType: "CLIENT_TYPE_MSP_CLIENT",
      isActive: true,
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

    const got = await rest("GET", `/api/v1/clients/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(created);
  });

  it("lists with a filter one item per page, following pageToken to the end", async () => {
    for (const name of ["RT Internal C", "RT Internal A", "RT Internal B"]) {
      expect((await rest("POST", "/api/v1/clients", { name, clientType: "CLIENT_TYPE_INTERNAL" })).status).toBe(200);
    }
    expect((await rest("POST", "/api/v1/clients", { name: "RT Paying", clientType: "CLIENT_TYPE_MSP_CLIENT" })).status).toBe(200);

    const filter = encodeURIComponent('client_type = "internal" AND is_active = true');
    const names: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const query = `filter=${filter}&orderBy=${encodeURIComponent("name desc")}&pageSize=1${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`;
      const page = await rest("GET", `/api/v1/clients?${query}`);
      expect(page.status).toBe(200);
      expect(page.json.clients.length).toBeLessThanOrEqual(1);
      names.push(...page.json.clients.map((c: Json) => c.name));
      pageToken = page.json.nextPageToken;
      pages++;
    } while (pageToken !== "" && pages < 10);
    expect(names).toEqual(["RT Internal C", "RT Internal B", "RT Internal A"]);
    expect(pages).toBeGreaterThanOrEqual(3);

    // The enum's proto name filters the same, and a token is only good for the list it came from.
    const byName = await rest("GET", `/api/v1/clients?filter=${encodeURIComponent('client_type = "CLIENT_TYPE_INTERNAL"')}&pageSize=1`);
    expect(byName.json.clients).toHaveLength(1);
    const otherFilter = await rest("GET", `/api/v1/clients?pageSize=1&pageToken=${encodeURIComponent(byName.json.nextPageToken)}`);
    expect([otherFilter.status, otherFilter.json.code]).toEqual([400, "invalid_argument"]);
  });

  it("updates only the fields named by updateMask", async () => {
    const patch = await rest("PATCH", `/api/v1/clients/${created.id}?updateMask=notes,primaryContact`, {
      notes: "VIP customer",
      primaryContact: "Jo at the front desk",
      name: "Not Renamed",
      etag: created.etag,
    });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ name: "Round Trip Ltd", notes: "VIP customer", primaryContact: "Jo at the front desk" });
    expect(patch.json.etag).not.toBe(created.etag);

    // A field named in the mask but absent is cleared.
    const cleared = await rest("PATCH", `/api/v1/clients/${created.id}?updateMask=domainName`, {});
    expect(cleared.status).toBe(200);
    expect(cleared.json.domainName).toBeUndefined();
    expect(cleared.json.notes).toBe("VIP customer");
  });

  it("refuses a PATCH or DELETE with a stale etag (409) and changes nothing", async () => {
    const before = (await rest("GET", `/api/v1/clients/${created.id}`)).json;
    const stalePatch = await rest("PATCH", `/api/v1/clients/${created.id}?updateMask=notes`, { notes: "lost update", etag: created.etag });
    expect([stalePatch.status, stalePatch.json.code]).toEqual([409, "aborted"]);
    const staleDelete = await rest("DELETE", `/api/v1/clients/${created.id}?etag=${encodeURIComponent(created.etag)}`);
    expect([staleDelete.status, staleDelete.json.code]).toEqual([409, "aborted"]);
    expect((await rest("GET", `/api/v1/clients/${created.id}`)).json).toEqual(before);
  });

  it("gives the same fields over REST, Connect JSON, Connect binary and gRPC", async () => {
    const viaRest = await rest("GET", `/api/v1/clients/${created.id}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.json.notes).toBe("VIP customer");
    const expected = canonical(viaRest.json);

    const viaConnect = await connectJson("GetClient", { id: created.id });
    expect(viaConnect.status).toBe(200);
    expect(canonical(viaConnect.json)).toEqual(expected);

    const binary = await connectBinaryGet(created.id);
    expect(binary.status).toBe(200);
    expect(binary.contentType).toMatch(/^application\/proto/);
    expect(asJson(Client.decode(binary.bytes))).toEqual(expected);

    const viaGrpc = await grpcGet(created.id);
    expect(viaGrpc.clientType).toBe(1); // CLIENT_TYPE_MSP_CLIENT, as a number in the generated message
    expect(viaGrpc.createdAt).toBeInstanceOf(Date);
    expect(asJson(viaGrpc)).toEqual(expected);
  });

  it("lists the same page over REST and Connect JSON", async () => {
    const viaRest = await rest("GET", "/api/v1/clients?orderBy=name&pageSize=3");
    const viaConnect = await connectJson("ListClients", { orderBy: "name", pageSize: 3 });
    expect(viaRest.status).toBe(200);
    expect(viaConnect.status).toBe(200);
    expect(viaConnect.json.clients.map(canonical)).toEqual(viaRest.json.clients.map(canonical));
    expect(viaConnect.json.nextPageToken).toBe(viaRest.json.nextPageToken);
  });

  it("deletes it; then REST, Connect and gRPC all say not found", async () => {
    const current = (await rest("GET", `/api/v1/clients/${created.id}`)).json;
    const deleted = await rest("DELETE", `/api/v1/clients/${created.id}?etag=${encodeURIComponent(current.etag)}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});

    const viaRest = await rest("GET", `/api/v1/clients/${created.id}`);
    expect([viaRest.status, viaRest.json.code]).toEqual([404, "not_found"]);
    const viaConnect = await connectJson("GetClient", { id: created.id });
    expect([viaConnect.status, viaConnect.json.code]).toEqual([404, "not_found"]);
    const binary = await connectBinaryGet(created.id);
    expect(binary.status).toBe(404);
    await expectStatus(grpcGet(created.id), status.NOT_FOUND);
    const again = await rest("DELETE", `/api/v1/clients/${created.id}`);
    expect(again.status).toBe(404);
  });

  it("answers concurrent requests each with its own body (the gateway reuses its output buffers)", async () => {
    // Bodies of different sizes, so buffers of different sizes go back and forth.
    const notes = Array.from({ length: 12 }, (_, i) => `Concurrent ${i}: ${"x".repeat(i * 5_000)}`);
    const ids: string[] = [];
    for (const [i, note] of notes.entries()) {
      const created = await rest("POST", "/api/v1/clients", { name: `Concurrent ${i} ${Date.now()}`, notes: note });
      expect(created.status).toBe(200);
      ids.push(created.json.id);
    }
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        ids.flatMap((id) => [rest("GET", `/api/v1/clients/${id}`), rest("GET", "/api/v1/clients?pageSize=50")]),
      );
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        if (i % 2 === 0) expect(answer.json.notes).toBe(notes[i / 2]);
        else expect(answer.json.clients.length).toBeGreaterThanOrEqual(notes.length);
      });
    }
  });

  it("refuses gRPC straight to the work service without a token", async () => {
    await expectStatus(call(grpc, "getClient", { id: created.id }), status.UNAUTHENTICATED);
  });
});

describe("hand-written JSON through the platform (issue 17)", () => {
  const forms = 'an RFC 3339 timestamp such as "2026-12-01T09:30:00Z" or a date such as "2026-12-01" (midnight UTC)';
  const clientTypes = "msp_client, internal, project";

  it("takes an enum value by its short name in a REST body and a Connect body", async () => {
    const viaRest = await rest("POST", "/api/v1/clients", { name: `Short enum ${Date.now()}`, clientType: "internal" });
    expect([viaRest.status, viaRest.json.clientType]).toEqual([200, "CLIENT_TYPE_INTERNAL"]);
    const viaConnect = await connectJson("CreateClient", { client: { name: `Short enum ${Date.now()} (Connect)`, clientType: "Project" } });
    expect([viaConnect.status, viaConnect.json.clientType]).toEqual([200, "CLIENT_TYPE_PROJECT"]);
  });

  it("refuses an unknown enum value listing the values, with the BadRequest validation errors carry", async () => {
    const refused = await rest("POST", "/api/v1/clients", { name: "Bad enum", clientType: "customer" });
    const description = `'customer' is not one of ${clientTypes}`;
    expect(refused).toEqual({
      status: 400,
      json: {
        code: "invalid_argument",
        message: `client.client_type: ${description}`,
        details: [
          { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "client.client_type", description }] },
        ],
      },
    });
    // A validation error of the work service itself has the same shape.
    const invalid = await rest("POST", "/api/v1/clients", { name: "" });
    expect(invalid.json.details).toEqual([
      {
        "@type": "type.googleapis.com/google.rpc.BadRequest",
        fieldViolations: [{ field: "client.name", description: expect.any(String) }],
      },
    ]);
  });

  it("takes dates as the query parameters of a billing period, as midnight UTC", async () => {
    const client = await rest("POST", "/api/v1/clients", { name: `Billing dates ${Date.now()}` });
    const summary = await rest("GET", `/api/v1/clients/${client.json.id}:billingSummary?start=2026-12-01&end=2027-01-01`);
    expect(summary.status).toBe(200);
    expect([summary.json.start, summary.json.end]).toEqual(["2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"]);
  });

  it("answers the billable time export as the CSV file itself for Accept: text/csv and the .csv path", async () => {
    const client = await rest("POST", "/api/v1/clients", { name: "CSV Download Ltd" });
    await rest("POST", "/api/v1/billableTime", {
      clientId: client.json.id,
      startedAt: "2026-12-03T09:00:00Z",
      durationMinutes: 30,
      description: "Printer fixed",
    });
    const path = `/api/v1/clients/${client.json.id}:exportBillableTime?start=2026-12-01&end=2027-01-01`;
    const download = (url: string, accept?: string) =>
      fetch(`${platform.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) } });
    for (const response of [await download(path, "text/csv"), await download(path.replace("?", ".csv?"))]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
      expect(response.headers.get("content-disposition")).toBe(
        'attachment; filename="billable-time-csv-download-ltd-2026-12-01-2027-01-01.csv"; ' +
          "filename*=UTF-8''billable-time-csv-download-ltd-2026-12-01-2027-01-01.csv",
      );
      const lines = (await response.text()).split("\r\n");
      expect(lines[0]).toMatch(/^entry_id,date,started_at,/);
      expect(lines[1]).toContain(",Printer fixed,");
    }
    // Without Accept (or asking for JSON) the JSON form stays.
    const json = await download(path, "application/json, text/csv;q=0.5");
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await json.json()) as Json).rowCount).toBe(1);
  });

  it("refuses a bad timestamp parameter naming it and the forms it takes", async () => {
    const client = await rest("POST", "/api/v1/clients", { name: `Bad dates ${Date.now()}` });
    const refused = await rest("GET", `/api/v1/clients/${client.json.id}:billingSummary?end=2026-12-32`);
    expect(refused).toEqual({
      status: 400,
      json: {
        code: "invalid_argument",
        message: `end: '2026-12-32' is not ${forms}`,
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            fieldViolations: [{ field: "end", description: `'2026-12-32' is not ${forms}` }],
          },
        ],
      },
    });
  });
});

// Issue 18: with no idempotency key, a client retrying a billable-time create as told billed twice.
describe("a billable-time create retried through REST with an Idempotency-Key", () => {
  let clientId: string;
  const keyedCreate = (key: string, description: string, durationMinutes = 30) =>
    platform.api("POST", "/api/v1/billableTime", {
      token,
      headers: { "idempotency-key": key },
      body: { clientId, startedAt: "2026-03-02T09:00:00Z", durationMinutes, description },
    });
  const entries = async (description: string): Promise<Json[]> => {
    const filter = encodeURIComponent(`client_id = "${clientId}"`);
    const { status: code, json } = await rest("GET", `/api/v1/billableTime?pageSize=500&filter=${filter}`);
    expect(code).toBe(200);
    return (json.billableTime ?? []).filter((e: Json) => e.description === description);
  };

  beforeAll(async () => {
    clientId = (await rest("POST", "/api/v1/clients", { name: `Idempotency ${Date.now()}` })).json.id;
  });

  it("gets the first answer again and bills once; the key with another body is 400 naming it; ten at once bill once", async () => {
    const key = `retry-${Date.now()}`;
    const first = await keyedCreate(key, "billed once");
    expect(first.status).toBe(200);
    expect(await keyedCreate(key, "billed once")).toEqual(first);
    // The same create over Connect carries the key too (the same header) and is the same request.
    const overConnect = await fetch(`${platform.baseUrl}/msp.work.v1.BillableTimeService/CreateBillableTime`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": key },
      body: JSON.stringify({
        billableTime: { clientId, startedAt: "2026-03-02T09:00:00Z", durationMinutes: 30, description: "billed once" },
      }),
    });
    expect([overConnect.status, ((await overConnect.json()) as Json).id]).toEqual([200, first.json.id]);
    expect(await entries("billed once")).toHaveLength(1);

    const reused = await keyedCreate(key, "billed once", 45);
    expect(reused.status).toBe(400);
    expect(reused.json).toMatchObject({
      code: "failed_precondition",
      message: `Idempotency-Key "${key}" was already used for a different CreateBillableTime request; send a new key with a new request`,
    });

    const parallel = `parallel-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => keyedCreate(parallel, "ten at once")));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const stored = await entries("ten at once");
    expect(stored).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json.id))).toEqual(new Set([stored[0].id]));
  });

  it("refuses a bad key with 400 naming the header, before anything is written", async () => {
    const bad = await keyedCreate("k".repeat(256), "bad key");
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      code: "invalid_argument",
      message: "Idempotency-Key: must be at most 255 characters (a UUID is the usual key)",
    });
    expect(await entries("bad key")).toHaveLength(0);
  });
});

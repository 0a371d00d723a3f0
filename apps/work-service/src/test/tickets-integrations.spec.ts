import { status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call, expectStatus } from "@msp/testing";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import {
  ExternalIntegration,
  ExternalIntegrationAction,
  ExternalIntegrationDirection,
} from "@msp/proto/src/gen/ts/msp/work/v1/external_integration";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TicketLink, TicketLinkType, TicketSystem } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

let serial = 0;
const invalid = status.INVALID_ARGUMENT;
const newClient = () => call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Tickets ${++serial}` }) });
const newSession = (clientId?: string) =>
  call(stack.sessions, "createSession", { session: Session.fromPartial(clientId ? { clientId } : {}) });
const newLink = (partial: Partial<TicketLink>) =>
  call(stack.ticketLinks, "createTicketLink", { ticketLink: TicketLink.fromPartial(partial) });
const newIntegration = (partial: Partial<ExternalIntegration>) =>
  call(stack.externalIntegrations, "createExternalIntegration", { externalIntegration: ExternalIntegration.fromPartial(partial) });

describe("TicketLinkService", () => {
  it("ties a PSA ticket to a session once, for the session's client", async () => {
    const client = await newClient();
    const session = await newSession(client.id);
    const link = await newLink({
      sessionId: session.id,
      system: TicketSystem.TICKET_SYSTEM_AUTOTASK,
      ticketId: " T20260105.0042 ",
      ticketNumber: "T20260105.0042",
      subject: "Mail stuck in the queue",
      url: "https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=4711",
      ticketStatus: "In Progress",
    });
    expect(link).toMatchObject({
      clientId: client.id,
      ticketId: "T20260105.0042",
      linkType: TicketLinkType.TICKET_LINK_TYPE_RELATED,
      system: TicketSystem.TICKET_SYSTEM_AUTOTASK,
    });
    await expectStatus(
      newLink({ sessionId: session.id, system: TicketSystem.TICKET_SYSTEM_AUTOTASK, ticketId: "T20260105.0042" }),
      status.ALREADY_EXISTS,
      /session_id and system and ticket_id/,
    );
    // The same ticket in another system, or in another session, is another link.
    await newLink({ sessionId: session.id, system: TicketSystem.TICKET_SYSTEM_HALOPSA, ticketId: "T20260105.0042" });
    const later = await newSession(client.id);
    await newLink({
      sessionId: later.id,
      system: TicketSystem.TICKET_SYSTEM_AUTOTASK,
      ticketId: "T20260105.0042",
      linkType: TicketLinkType.TICKET_LINK_TYPE_RESOLVES,
    });
    const sessions = await call(stack.ticketLinks, "listTicketLinks", {
      pageSize: 10,
      pageToken: "",
      filter: 'system = "autotask" AND ticket_id = "T20260105.0042"',
      orderBy: "created_at",
    });
    expect(sessions.ticketLinks.map((l) => [l.sessionId, l.linkType])).toEqual([
      [session.id, TicketLinkType.TICKET_LINK_TYPE_RELATED],
      [later.id, TicketLinkType.TICKET_LINK_TYPE_RESOLVES],
    ]);
    const updated = await call(stack.ticketLinks, "updateTicketLink", {
      ticketLink: TicketLink.fromPartial({ id: link.id, ticketStatus: "Complete", linkType: TicketLinkType.TICKET_LINK_TYPE_DOCUMENTS }),
      updateMask: ["ticket_status", "link_type"],
    });
    expect(updated).toMatchObject({ ticketStatus: "Complete", linkType: TicketLinkType.TICKET_LINK_TYPE_DOCUMENTS });
    expect(
      (
        await call(stack.ticketLinks, "updateTicketLink", {
          ticketLink: TicketLink.fromPartial({ id: link.id }),
          updateMask: ["link_type"],
        })
      ).linkType,
    ).toBe(TicketLinkType.TICKET_LINK_TYPE_RELATED);
  });

  it("refuses links without a session, system or ticket, to another client, or with a URL that is not http(s)", async () => {
    const client = await newClient();
    const other = await newClient();
    const session = await newSession(client.id);
    const base = { sessionId: session.id, system: TicketSystem.TICKET_SYSTEM_SYNCRO, ticketId: "1" };
    await expectStatus(newLink({ ...base, sessionId: undefined }), invalid, /ticket_link\.session_id: is required/);
    await expectStatus(newLink({ ...base, system: undefined }), invalid, /ticket_link\.system: is required/);
    await expectStatus(newLink({ ...base, ticketId: "  " }), invalid, /ticket_link\.ticket_id: is required/);
    await expectStatus(newLink({ ...base, clientId: other.id }), invalid, /ticket_link\.client_id: must be the session's client/);
    await expectStatus(
      newLink({ ...base, url: "javascript:alert(1)" }),
      invalid,
      /ticket_link\.url: must be an absolute http or https URL/,
    );
    await expectStatus(newLink({ ...base, url: "not a url" }), invalid, /ticket_link\.url/);
    await expectStatus(newLink({ ...base, ticketId: "x".repeat(129) }), invalid, /ticket_link\.ticket_id: must be at most 128/);
    const link = await newLink(base);
    const moved = await newSession(client.id);
    await expectStatus(
      call(stack.ticketLinks, "updateTicketLink", {
        ticketLink: TicketLink.fromPartial({ id: link.id, sessionId: moved.id }),
        updateMask: ["session_id"],
      }),
      invalid,
      /session_id: cannot be changed/,
    );
  });
});

describe("ExternalIntegrationService", () => {
  it("logs calls to outside systems with their bodies, secrets redacted before they are stored", async () => {
    const session = await newSession();
    const record = await newIntegration({
      sessionId: session.id,
      integrationType: " Syncro ",
      externalId: "TK-4711",
      externalUrl: "https://acme.syncromsp.com/tickets/4711",
      action: ExternalIntegrationAction.EXTERNAL_INTEGRATION_ACTION_CREATED,
      requestData: {
        subject: "Printer",
        api_key: "sk_live_abc",
        headers: { Authorization: "Bearer abcdefghijklmnop", Accept: "application/json" },
        comments: [{ body: "Called the user", password: "hunter2" }],
      },
      responseData: { id: 4711, token: "t0k3n", status: "New" },
    });
    expect(record).toMatchObject({
      integrationType: "syncro",
      direction: ExternalIntegrationDirection.EXTERNAL_INTEGRATION_DIRECTION_OUTBOUND,
      requestData: {
        subject: "Printer",
        api_key: "[redacted]",
        headers: { Authorization: "[redacted]", Accept: "application/json" },
        comments: [{ body: "Called the user", password: "[redacted]" }],
      },
      responseData: { id: 4711, token: "[redacted]", status: "New" },
    });
    // Nothing secret reached the table, nor the audit log.
    const rows = await stack.service.service.db.sequelize.query<Record<string, unknown>>(
      "SELECT request_data, response_data FROM external_integrations WHERE id = ?",
      { replacements: [record.id], type: QueryTypes.SELECT },
    );
    const stored = JSON.stringify(rows);
    for (const secret of ["sk_live_abc", "abcdefghijklmnop", "hunter2", "t0k3n"]) expect(stored).not.toContain(secret);
    const audit = await stack.service.service.db.sequelize.query<Record<string, unknown>>(
      "SELECT request_summary FROM audit_outbox WHERE resource_id = ?",
      { replacements: [record.id], type: QueryTypes.SELECT },
    );
    for (const secret of ["sk_live_abc", "abcdefghijklmnop", "hunter2", "t0k3n"]) expect(JSON.stringify(audit)).not.toContain(secret);

    const inbound = await newIntegration({
      integrationType: "zapier",
      action: ExternalIntegrationAction.EXTERNAL_INTEGRATION_ACTION_LINKED,
      direction: ExternalIntegrationDirection.EXTERNAL_INTEGRATION_DIRECTION_INBOUND,
    });
    expect(inbound).toMatchObject({ sessionId: undefined, requestData: undefined });
    const listed = await call(stack.externalIntegrations, "listExternalIntegrations", {
      pageSize: 10,
      pageToken: "",
      filter: 'integration_type = "zapier" AND direction = "inbound"',
      orderBy: "",
    });
    expect(listed.externalIntegrations.map((i) => i.id)).toEqual([inbound.id]);
  });

  it("refuses a bad integration type, URL, missing action or an oversized body", async () => {
    const base = { integrationType: "syncro", action: ExternalIntegrationAction.EXTERNAL_INTEGRATION_ACTION_UPDATED };
    await expectStatus(
      newIntegration({ ...base, integrationType: "Syncro MSP!" }),
      invalid,
      /integration_type: must be lower-case letters/,
    );
    await expectStatus(newIntegration({ ...base, action: undefined }), invalid, /external_integration\.action: is required/);
    await expectStatus(newIntegration({ ...base, externalUrl: "ftp://example.com/x" }), invalid, /external_url: must be an absolute http/);
    await expectStatus(
      newIntegration({ ...base, requestData: { blob: "x".repeat(70_000) } }),
      invalid,
      /request_data: must be at most 64 KiB/,
    );
    await expectStatus(newIntegration({ ...base, workItemId: "0190f5c8-0000-7000-8000-000000000000" }), invalid, /no work item has id/);
  });
});

import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { TicketLinkSchema } from "@msp/proto/src/gen/es/msp/work/v1/ticket_link_pb";
import { ClientModel, SessionModel, TicketLinkModel } from "./models";
import { checkHttpUrl } from "./url-rules";

/** Ticket links (collection `ticketLinks`): a PSA ticket tied to a session once, for the session's client. */
export const ticketLinkResource: ResourceDefinition = {
  name: "ticket_link",
  model: TicketLinkModel,
  schema: TicketLinkSchema,
  fieldOverrides: {
    foreignIds: ["ticket_id"],
    maxLength: { ticket_id: 128, ticket_number: 64, url: 1024, ticket_status: 64 },
  },
  required: ["session_id", "system", "ticket_id"],
  immutable: ["session_id"],
  unique: [["session_id", "system", "ticket_id"]],
  references: { session_id: [SessionModel, "session"], client_id: [ClientModel, "client"] },
  filterable: ["session_id", "client_id", "system", "ticket_id", "ticket_number", "link_type", "created_at"],
  orderable: ["created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    for (const field of ["ticket_id", "ticket_number", "subject", "ticket_status", "url"]) {
      const value = row[field];
      if (typeof value === "string") row[field] = value.trim() || null;
    }
    if (typeof row["url"] === "string") checkHttpUrl("ticket_link.url", row["url"]);
    if (!row["link_type"]) row["link_type"] = "related";
    const sessionId = row["session_id"];
    if (typeof sessionId === "string" && (!existing || row["client_id"] !== existing["client_id"])) {
      const session = await SessionModel.findOne({ where: { id: sessionId }, attributes: ["client_id"], raw: true, transaction });
      if (!session) throw invalidArgument("ticket_link.session_id", `no session has id ${sessionId}`);
      if (!row["client_id"] && !existing) row["client_id"] = session.client_id;
      else if (row["client_id"] && session.client_id && row["client_id"] !== session.client_id) {
        throw invalidArgument("ticket_link.client_id", `must be the session's client ${session.client_id}`);
      }
    }
  },
};

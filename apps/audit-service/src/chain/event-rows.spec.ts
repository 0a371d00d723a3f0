import { randomBytes } from "node:crypto";
import type { UnchainedEvent } from "@msp/audit-chain";
import { appendEvents, canonicalEventText, genesisHash } from "@msp/audit-chain";
import { eventTextOfRow, joinedFieldsOf } from "./event-rows";

const base: UnchainedEvent = {
  id: "0b0e8c3e-1a2b-4c3d-8e9f-001122334455",
  occurredAt: new Date("2026-12-06T01:02:03.045Z"),
  service: "work-service",
  method: "/msp.work.v1.WorkService/UpdateWorkItem",
  principal: "user:tech",
  resourceType: "work_item",
  resourceId: "wi_1",
  action: "update",
  outcome: "ok",
  requestSummary: '{"note":"say \\"hi\\" \\\\ é 日本"}',
  sourceIp: "10.0.0.5",
};

test("a row of joined fields reads back as the event's canonical text, nulls and quotes included", () => {
  const events = appendEvents(randomBytes(32), { seq: 0, hash: genesisHash }, [
    base,
    { ...base, resourceId: null, requestSummary: null, sourceIp: null },
    { ...base, resourceId: "", requestSummary: "", principal: 'quote " and tab \t' },
  ]);
  for (const e of events) {
    const text = eventTextOfRow([e.seq, e.prevHash, e.hash, joinedFieldsOf(e)]);
    expect(text).toEqual({ seq: e.seq, prevHash: e.prevHash, hash: e.hash, text: canonicalEventText(e) });
  }
});

test("a field holding the separator is not guessed at: the row must be read column by column", () => {
  const [e] = appendEvents(randomBytes(32), { seq: 0, hash: genesisHash }, [{ ...base, principal: "a\u0001b" }]);
  expect(eventTextOfRow([e!.seq, e!.prevHash, e!.hash, joinedFieldsOf(e!)])).toBeNull();
});

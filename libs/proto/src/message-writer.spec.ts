import { BillableTime, BillableTimeRateSource } from "./gen/ts/msp/work/v1/billable_time";
import { CommandRun } from "./gen/ts/msp/work/v1/command_run";
import { ExternalIntegration, ExternalIntegrationAction } from "./gen/ts/msp/work/v1/external_integration";
import { FileChange, FileChangeType } from "./gen/ts/msp/work/v1/file_change";
import { Session, SessionTimeline } from "./gen/ts/msp/work/v1/session";
import { WorkItem, WorkItemStatus } from "./gen/ts/msp/work/v1/work_item";
import { ExternalIntegrationSchema } from "./gen/es/msp/work/v1/external_integration_pb";
import { SessionTimelineSchema } from "./gen/es/msp/work/v1/session_pb";
import { createMessageEncoder } from "./message-writer";

const at = new Date("2026-01-05T10:00:00.123Z");

function timeline(): SessionTimeline {
  return SessionTimeline.fromPartial({
    session: Session.fromPartial({
      id: "s1",
      title: "Ünïcödé ✓ 🚀",
      startedAt: at,
      billableMinutes: 300,
      billableAmount: "12.50",
      tags: ["a", "b"],
    }),
    workItems: [
      {
        workItem: WorkItem.fromPartial({
          id: "w1",
          title: "x".repeat(300),
          position: 1,
          actualMinutes: 0, // explicit presence: written although zero
          isBillable: false,
          status: WorkItemStatus.WORK_ITEM_STATUS_COMPLETED,
          completedAt: new Date(0),
          affectedSystems: ["FS01", ""],
        }),
        details: {
          fileChanges: [
            FileChange.fromPartial({ id: "f1", changeType: FileChangeType.FILE_CHANGE_TYPE_MODIFIED, sizeBytes: 6_000_000_000n }),
          ],
          commandRuns: [
            CommandRun.fromPartial({ id: "c1", commandText: "exit 1", exitCode: -1073741819, success: false, position: 2 ** 31 - 1 }),
          ],
          problemSolutions: [],
          deployments: [],
          databaseChanges: [],
        },
      },
    ],
    sessionDetails: { fileChanges: [], commandRuns: [], problemSolutions: [], deployments: [], databaseChanges: [] },
    billableTime: [
      BillableTime.fromPartial({
        id: "b1",
        durationMinutes: 5,
        roundedMinutes: 15,
        amount: "30.00",
        rateSource: BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_ENTRY,
        startedAt: new Date("1969-12-31T23:59:59.500Z"),
      }),
    ],
  });
}

describe("createMessageEncoder", () => {
  it("writes the bytes the generated encoder writes, nested messages, strings, bigints and timestamps included", () => {
    const message = timeline();
    const fast = createMessageEncoder<SessionTimeline>(SessionTimelineSchema)(message);
    expect(Buffer.from(fast)).toEqual(Buffer.from(SessionTimeline.encode(message).finish()));
    expect(SessionTimeline.decode(fast)).toEqual(message);
  });

  it("writes Struct fields that decode to the same JSON", () => {
    const message = ExternalIntegration.fromPartial({
      id: "e1",
      integrationType: "syncro",
      action: ExternalIntegrationAction.EXTERNAL_INTEGRATION_ACTION_CREATED,
      requestData: {
        subject: "Printer",
        count: 3.5,
        ok: true,
        none: null,
        list: [1, "two", { three: 3 }, []],
        nested: { deep: { deeper: "x" } },
        empty: {},
      },
    });
    const fast = createMessageEncoder<ExternalIntegration>(ExternalIntegrationSchema)(message);
    expect(ExternalIntegration.decode(fast)).toEqual(ExternalIntegration.decode(ExternalIntegration.encode(message).finish()));
  });

  it("writes an empty message as no bytes", () => {
    expect(createMessageEncoder<SessionTimeline>(SessionTimelineSchema)(SessionTimeline.fromPartial({})).length).toBe(0);
  });
});

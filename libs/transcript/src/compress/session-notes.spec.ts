import { parseTranscript } from "../parse-transcript";
import { reportItem, structuredResults } from "./session-notes";
import { buildTimeline } from "./timeline";

const line = (record: object) => JSON.stringify({ isSidechain: true, sessionId: "s1", cwd: "/home/u/avd", ...record });

describe("structuredResults", () => {
  it("reads an agent's StructuredOutput scalar fields as one line, then each list field in lines, redacted", () => {
    const jsonl = [
      line({ type: "user", uuid: "u1", timestamp: "2026-06-06T06:00:00Z", message: { role: "user", content: "Test the image" } }),
      line({
        type: "assistant",
        uuid: "a1",
        timestamp: "2026-06-06T06:10:00Z",
        message: {
          role: "assistant",
          content: [
            {
              type: "tool_use",
              id: "t1",
              name: "StructuredOutput",
              input: {
                verdict: "NOT_ROOTABLE",
                adb_root_works: false,
                sdk: 36,
                token: "s3cr3t",
                nested: { a: 1 },
                steps: ["adb root printed 'restarting adbd as root'", { command: "emulator -no-window", ok: true }],
                notes: Array.from({ length: 4 }, (_, i) => `note ${i}: ${"x".repeat(120)}`),
              },
            },
          ],
        },
      }),
      line({
        type: "user",
        uuid: "u2",
        timestamp: "2026-06-06T06:10:01Z",
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: "Structured output provided successfully" }],
        },
      }),
    ].join("\n");
    const timeline = buildTimeline(parseTranscript(jsonl).events);
    const [result, ...others] = structuredResults({ timeline, redact: (t) => t.replace("s3cr3t", "[REDACTED:token]") });
    expect(others).toEqual([]);
    expect(result?.slice(0, 2)).toEqual([
      "verdict=NOT_ROOTABLE; adb_root_works=false; sdk=36; token=[REDACTED:token]",
      "steps (StructuredOutput): adb root printed 'restarting adbd as root'; command=emulator -no-window, ok=true",
    ]);
    // A long list is split into lines of at most 300 characters, each item whole on one of them.
    const notes = result?.slice(2) ?? [];
    expect(notes.length).toBeGreaterThan(1);
    for (const note of notes) expect(note.length).toBeLessThanOrEqual(300);
    expect(notes.join(" ").match(/note \d/g)).toEqual(["note 0", "note 1", "note 2", "note 3"]);
  });
});

describe("reportItem", () => {
  it("keeps list items and headings that say something, not headings that only label", () => {
    expect(reportItem("- Build type: user")).toBe("Build type: user");
    expect(reportItem("### 5. 完整流程对比")).toBeUndefined();
    expect(reportItem("## Next steps")).toBeUndefined();
    expect(reportItem("## Verdict: NOT_ROOTABLE")).toBe("Verdict: NOT_ROOTABLE");
    expect(reportItem("### cmd_space.cpp walks every space")).toBe("cmd_space.cpp walks every space");
  });
});

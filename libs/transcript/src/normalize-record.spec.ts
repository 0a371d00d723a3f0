import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeRecord, todosFrom } from "./normalize-record";
import { parseTranscript } from "./parse-transcript";
import type { TranscriptEvent } from "./transcript-event";

const zoo = parseTranscript(readFileSync(join(__dirname, "fixtures", "record-zoo.jsonl"), "utf8")).events;
const resultOf = (id: string) => zoo.flatMap((event) => event.toolResults).find((result) => result.toolUseId === id);
const withText = (text: string) => zoo.find((event) => event.text === text) as TranscriptEvent;

describe("normalizeRecord", () => {
  it("reads user content in every shape seen: string, blocks, raw strings, image, typo, string message", () => {
    expect(withText("plain string prompt").kind).toBe("prompt");
    expect(withText("block prompt\n[image]").kind).toBe("prompt");
    expect(withText("a raw string item").kind).toBe("prompt");
    const empty = zoo.filter((event) => event.type === "user" && event.text === "");
    expect(empty.length).toBeGreaterThanOrEqual(2); // misspelled "contenst" and a string message: no text, no crash
  });

  it("tells prompts from interrupts, slash commands, their output, caveats and meta texts", () => {
    expect(withText("[Request interrupted by user]").kind).toBe("interrupt");
    expect(withText("<command-name>/compact</command-name>").kind).toBe("slash_command");
    expect(withText("<local-command-stdout>Compacted</local-command-stdout>").kind).toBe("command_output");
    expect(zoo.find((event) => event.text.startsWith("<local-command-caveat>"))?.kind).toBe("command_output");
    expect(withText("Base directory for this skill: /skills/x").kind).toBe("meta");
  });

  it("reads assistant text, thinking and tool calls", () => {
    const turn = withText("hello");
    expect(turn).toMatchObject({ kind: "assistant", role: "assistant", thinking: "pondering", model: "claude-sonnet-4-5" });
    expect(turn.toolCalls).toEqual([{ id: "t1", name: "Bash", input: { command: "echo hi" } }]);
  });

  it("reads exit codes, errors, interrupts, refusals and file operations of tool results", () => {
    expect(resultOf("t1")).toMatchObject({ isError: true, exitCode: 2 });
    expect(resultOf("t2")).toMatchObject({ exitCode: 127 });
    expect(resultOf("t3")).toMatchObject({ fileOperation: "update", filePath: "/tmp/a.txt" });
    expect(resultOf("t4")).toMatchObject({ isError: true, exitCode: 137, interrupted: true });
    expect(resultOf("t5")).toMatchObject({ rejected: true });
  });

  it("keeps valid todo items and skips broken ones", () => {
    expect(zoo.find((event) => event.toolCalls.some((call) => call.name === "TodoWrite"))?.todos).toEqual([
      { content: "real item", status: "pending" },
    ]);
    expect(todosFrom("not a list")).toBeUndefined();
    expect(zoo.find((event) => event.subtype === "task_reminder")?.todos).toEqual([{ content: "zoo task", status: "in_progress" }]);
  });

  it("marks API error stubs and api_error system records", () => {
    expect(withText("API Error: 502 Bad Gateway").kind).toBe("api_error");
    expect(withText("429 rate limited")).toMatchObject({ kind: "api_error", subtype: "api_error" });
  });

  it("maps system subtypes, compact summaries, recaps and sidechains", () => {
    expect(zoo.find((event) => event.subtype === "compact_boundary")?.kind).toBe("compact_boundary");
    expect(zoo.find((event) => event.isCompactSummary)?.kind).toBe("compact_summary");
    expect(zoo.find((event) => event.subtype === "away_summary")?.text).toBe("Recap of the zoo.");
    expect(zoo.filter((event) => event.subtype === "local_command").map((event) => event.kind)).toEqual([
      "slash_command",
      "command_output",
    ]);
    expect(withText("side answer")).toMatchObject({ isSidechain: true, agentId: "a1" });
    expect(zoo.find((event) => event.type === "result")?.kind).toBe("journal");
  });

  it("copies metadata and tolerates the misspelled timestamp key", () => {
    const event = normalizeRecord(
      { type: "user", timesstamp: "2025-06-14T11:03:30Z", cwd: "/tmp", gitBranch: "dev", sessionId: "s", message: "x" },
      3,
    );
    expect(event).toMatchObject({
      line: 3,
      timestamp: "2025-06-14T11:03:30Z",
      cwd: "/tmp",
      gitBranch: "dev",
      sessionId: "s",
      isSidechain: false,
    });
  });
});

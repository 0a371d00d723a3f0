import { hookUsage, parseHookArgs } from "../hook-main";
import { claudeEventName, hookEventOf, HookInputError, parseHookInput } from "./hook-input";

describe("hook event names", () => {
  it.each([
    ["session-start", "session-start"],
    ["SessionStart", "session-start"],
    ["user_prompt_submit", "user-prompt-submit"],
    ["PostToolUse", "post-tool-use"],
    ["PreCompact", "pre-compact"],
    ["Stop", "stop"],
    ["SessionEnd", "session-end"],
    ["Notification", undefined],
    ["", undefined],
  ])("%s -> %s", (name, event) => expect(hookEventOf(name)).toBe(event));

  it("maps back to Claude's settings keys", () => {
    expect(claudeEventName("user-prompt-submit")).toBe("UserPromptSubmit");
    expect(claudeEventName("stop")).toBe("Stop");
  });

  it("reads the event and --home from the command line", () => {
    expect(parseHookArgs(["hook", "stop"])).toEqual({ event: "stop" });
    expect(parseHookArgs(["hook", "SessionStart", "--home", "/h"])).toEqual({ event: "SessionStart", home: "/h" });
    expect(parseHookArgs(["hook", "--home", "/h", "stop"])).toEqual({ event: "stop", home: "/h" });
  });

  it("takes --help and -h as a person asking, not as an event", () => {
    expect(parseHookArgs(["hook", "--help"])).toEqual({ event: "", help: true });
    expect(parseHookArgs(["hook", "session-start", "-h"])).toEqual({ event: "session-start", help: true });
    expect(hookUsage()).toContain("session-start, user-prompt-submit, post-tool-use, pre-compact, stop, session-end");
  });
});

describe("parseHookInput", () => {
  it("reads what Claude Code sends, snake_case to camelCase", () => {
    const input = parseHookInput(
      JSON.stringify({
        session_id: "abc",
        transcript_path: "/t.jsonl",
        cwd: "/work",
        hook_event_name: "PostToolUse",
        tool_name: "Bash",
        tool_input: { command: "ls" },
        tool_response: { stdout: "" },
        tool_use_id: "toolu_1",
      }),
      "/fallback",
    );
    expect(input).toEqual({
      sessionId: "abc",
      transcriptPath: "/t.jsonl",
      cwd: "/work",
      hookEventName: "PostToolUse",
      toolName: "Bash",
      toolInput: { command: "ls" },
      toolResponse: { stdout: "" },
      toolUseId: "toolu_1",
    });
    expect(parseHookInput('{"session_id":"x"}', "/fallback").cwd).toBe("/fallback");
  });

  it("takes what the technician marked <private> out of the prompt before any hook reads it", () => {
    const text = JSON.stringify({
      session_id: "x",
      prompt: "fix the NAS <private>admin pw Nas!2025x</private> on 10.0.0.9 <private>and this",
    });
    expect(parseHookInput(text, "/").prompt).toBe("fix the NAS [private] on 10.0.0.9 [private]");
  });

  it.each(["", "[]", "null", '{"cwd":"/x"}', "{nope"])("refuses %j", (text) =>
    expect(() => parseHookInput(text, "/")).toThrow(HookInputError),
  );
});

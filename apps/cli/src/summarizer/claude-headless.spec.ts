import { tempDir } from "../test-support/temp-dirs";
import { standInCalls, writeStandInClaude } from "../test-support/stand-in-claude";
import type { HeadlessRun } from "./claude-headless";
import { SummarizerError, readAnswer, runClaudeHeadless, usageTokens } from "./claude-headless";

function runOf(dir: string, overrides: Partial<HeadlessRun> = {}): HeadlessRun {
  return {
    command: "claude",
    model: "haiku",
    prompt: "Summarise this: <session>USER: restart nginx</session>",
    cwd: dir,
    // The stand-in is found on PATH, first, as a real claude would be.
    env: { ...process.env, PATH: `${dir}:${process.env["PATH"] ?? ""}` },
    timeoutMs: 20_000,
    ...overrides,
  };
}

describe("Claude Code in headless mode", () => {
  it("runs claude -p with a JSON answer, the model, one turn, no tools and no hooks, the prompt on stdin", async () => {
    const dir = tempDir("msp-claude-");
    writeStandInClaude(dir, { result: "Goal: restart nginx on web01.\nState at the end: done." });
    const answer = await runClaudeHeadless(runOf(dir));
    expect(answer).toEqual({
      text: "Goal: restart nginx on web01.\nState at the end: done.",
      tokens: 1234,
      model: "claude-haiku-4-5-20251001",
    });
    const [run] = standInCalls(dir);
    expect(run!.stdin).toBe("Summarise this: <session>USER: restart nginx</session>");
    expect(run!.args.slice(0, 5)).toEqual(["-p", "--output-format", "json", "--model", "haiku"]);
    const flag = (name: string) => run!.args[run!.args.indexOf(name) + 1];
    expect(flag("--max-turns")).toBe("1");
    expect(flag("--tools")).toBe("");
    expect(JSON.parse(flag("--settings")!)).toEqual({ disableAllHooks: true });
    expect(flag("--system-prompt")).toMatch(/You use no tools/);
    expect(run!.args).toEqual(expect.arrayContaining(["--strict-mcp-config", "--no-session-persistence"]));
    // The summarizer's own Claude Code session is marked, so msp's hooks in it stay out of the way.
    expect(run!.summarizerEnv).toBe("1");
    expect(run!.cwd).toBe(dir);
  });

  it("fails with what claude said: an error answer (its tokens counted), no JSON, no executable, no answer in time", async () => {
    const errorDir = tempDir("msp-claude-");
    writeStandInClaude(errorDir, { errorSubtype: "error_max_turns", result: "" });
    const answered = await runClaudeHeadless(runOf(errorDir)).catch((error: unknown) => error);
    expect(answered).toBeInstanceOf(SummarizerError);
    expect(answered).toMatchObject({ message: expect.stringMatching(/claude answered error_max_turns/), tokens: 1234 });

    const brokenDir = tempDir("msp-claude-");
    writeStandInClaude(brokenDir, { stdout: "Invalid API key · Please run /login", exitCode: 1 });
    const broken = await runClaudeHeadless(runOf(brokenDir)).catch((error: unknown) => error);
    expect(broken).toMatchObject({ message: expect.stringMatching(/no JSON answer: Invalid API key.*\(exit 1\)/), tokens: 0 });

    const missing = await runClaudeHeadless(runOf(tempDir("msp-claude-"), { command: "/nowhere/claude" })).catch((error: unknown) => error);
    expect(missing).toMatchObject({ message: expect.stringMatching(/\/nowhere\/claude was not found/), tokens: 0 });

    const slowDir = tempDir("msp-claude-");
    writeStandInClaude(slowDir, { delayMs: 30_000 });
    const slow = await runClaudeHeadless(runOf(slowDir, { timeoutMs: 300 })).catch((error: unknown) => error);
    // It may have spent them before it was stopped: what it was given is counted.
    expect(slow).toMatchObject({ message: expect.stringMatching(/did not answer within 0.3 s/), tokens: 14 });
  });

  it("reads the result of a message list and adds up every kind of token", () => {
    const list = JSON.stringify([
      { type: "system", subtype: "init" },
      { type: "result", subtype: "success", result: " ok ", usage: { input_tokens: 3, output_tokens: 2, cache_read_input_tokens: 5 } },
    ]);
    expect(readAnswer(list, "sonnet")).toEqual({ text: "ok", tokens: 10, model: "sonnet" });
    expect(usageTokens({ input_tokens: -1, output_tokens: "7", cache_creation_input_tokens: 4 })).toBe(4);
    expect(() => readAnswer(JSON.stringify({ type: "result", subtype: "success", result: "  " }), "haiku")).toThrow(/empty summary/);
  });
});

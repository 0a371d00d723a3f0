import { cutMiddle, summaryInput } from "./summary-input";

const line = (record: Record<string, unknown>) => JSON.stringify({ sessionId: "s", timestamp: "2026-11-03T09:00:00.000Z", ...record });

describe("what the model reads of a session", () => {
  it("keeps the words, one line per tool call and a short result with its status; leaves bookkeeping out", () => {
    const jsonl = [
      line({ type: "user", cwd: "/srv/app", message: { role: "user", content: "Why does  docker compose up fail?" } }),
      line({
        type: "assistant",
        message: {
          role: "assistant",
          content: [
            { type: "text", text: "Let me look." },
            { type: "tool_use", id: "t1", name: "Bash", input: { command: "docker compose up -d", description: "Start it" } },
          ],
        },
      }),
      line({
        type: "user",
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: "KeyError: 'ContainerConfig'", is_error: true }],
        },
        toolUseResult: { stdout: "", stderr: "KeyError: 'ContainerConfig'" },
      }),
      line({ type: "progress", data: { type: "bash_progress", output: "pulling layers" } }),
      line({ type: "file-history-snapshot", snapshot: {} }),
    ].join("\n");
    const input = summaryInput(jsonl);
    expect(input.text.split("\n")).toEqual([
      "Session from 2026-11-03T09:00:00.000Z to 2026-11-03T09:00:00.000Z",
      "Folder: /srv/app",
      "",
      "USER: Why does docker compose up fail?",
      "ASSISTANT: Let me look.",
      "TOOL Bash: docker compose up -d (Start it)",
      "RESULT (failed): KeyError: 'ContainerConfig'",
    ]);
    expect(input.text).not.toContain("pulling layers");
  });

  it("cuts a long session in the middle, keeping more of its end, and says so", () => {
    const text = `${"a".repeat(5_000)}${"z".repeat(5_000)}`;
    const cut = cutMiddle(text, 2_000);
    expect(cut.length).toBeLessThanOrEqual(2_000);
    expect(cut).toMatch(/^a+\n\[\.\.\. 8000 characters of the middle of the session left out \.\.\.\]\nz+$/);
    expect(cut.match(/z/g)!.length).toBeGreaterThan(3 * cut.match(/a/g)!.length - 10);
    expect(cutMiddle("short", 2_000)).toBe("short");
  });
});

// A small transcript of tool calls (Bash by default) and their results, for the specs of the command rules.
import { parseTranscript } from "../parse-transcript";
import type { CompressContext } from "./compress-context";
import { buildTimeline } from "./timeline";

/** One Bash call: its command, what it printed, and whether it failed or was refused. */
export interface BashTurn {
  command: string;
  output: string;
  isError?: boolean;
  /** an assistant remark said before the call */
  said?: string;
  /** another tool than Bash, called with `input` (the command is ignored then) */
  tool?: string;
  input?: Record<string, unknown>;
}

/** The context of a session in which the user asked `prompt` and the assistant ran `turns`. */
export function bashSession(prompt: string, turns: readonly BashTurn[], redact = (text: string) => text): CompressContext {
  const base = { isSidechain: false, sessionId: "s1", cwd: "/srv/app" };
  const records: object[] = [
    { ...base, type: "user", uuid: "u0", timestamp: "2026-06-06T06:00:00Z", message: { role: "user", content: prompt } },
  ];
  turns.forEach((turn, i) => {
    const content: object[] = [];
    if (turn.said) content.push({ type: "text", text: turn.said });
    content.push({ type: "tool_use", id: `t${i}`, name: turn.tool ?? "Bash", input: turn.input ?? { command: turn.command } });
    records.push({
      ...base,
      type: "assistant",
      uuid: `a${i}`,
      timestamp: `2026-06-06T06:${String(10 + i).padStart(2, "0")}:00Z`,
      message: { role: "assistant", content },
    });
    records.push({
      ...base,
      type: "user",
      uuid: `r${i}`,
      timestamp: `2026-06-06T06:${String(10 + i).padStart(2, "0")}:30Z`,
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: `t${i}`, content: turn.output, is_error: turn.isError === true }],
      },
    });
  });
  const timeline = buildTimeline(parseTranscript(records.map((record) => JSON.stringify(record)).join("\n")).events);
  return { timeline, redact, cwd: "/srv/app" };
}

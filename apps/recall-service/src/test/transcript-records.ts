/**
 * Claude Code transcript records (one JSON object per JSONL line), written the way Claude Code
 * writes them, for synthetic test transcripts: prompts, assistant text, Bash calls and their
 * results.
 */
export interface RecordOptions {
  sessionId: string;
  cwd?: string;
  gitBranch?: string;
  /** The first record's time; each record is one minute after the previous one. */
  start?: Date;
}

/** Writes the records of one synthetic session, in order. */
export class TranscriptWriter {
  private readonly records: Record<string, unknown>[] = [];
  private tools = 0;
  private parent: string | null = null;

  constructor(private readonly options: RecordOptions) {}

  /** A prompt typed by the user. */
  prompt(text: string): this {
    return this.push("user", { role: "user", content: text });
  }

  /** Text the assistant wrote. */
  say(text: string): this {
    return this.push("assistant", { role: "assistant", model: "claude-test", content: [{ type: "text", text }] });
  }

  /** A Bash call and its result (output on stdout, or on stderr when it failed). */
  bash(command: string, output: string, failed = false): this {
    this.tools += 1;
    const id = `toolu_${String(this.tools).padStart(4, "0")}`;
    this.push("assistant", {
      role: "assistant",
      model: "claude-test",
      content: [{ type: "tool_use", id, name: "Bash", input: { command, description: "Run a command" } }],
    });
    return this.push(
      "user",
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: output, is_error: failed }] },
      { toolUseResult: { stdout: failed ? "" : output, stderr: failed ? output : "", interrupted: false, isImage: false } },
    );
  }

  /** A Write call that creates `filePath` with `content`, and its result. */
  write(filePath: string, content: string): this {
    this.tools += 1;
    const id = `toolu_${String(this.tools).padStart(4, "0")}`;
    this.push("assistant", {
      role: "assistant",
      model: "claude-test",
      content: [{ type: "tool_use", id, name: "Write", input: { file_path: filePath, content } }],
    });
    return this.push(
      "user",
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: `File created successfully at: ${filePath}` }] },
      { toolUseResult: { type: "create", filePath, content } },
    );
  }

  /** The records as JSONL lines, one record per line. */
  lines(): string[] {
    return this.records.map((r) => JSON.stringify(r));
  }

  /** The records as JSONL, one record per line. */
  jsonl(): string {
    return this.lines().join("\n") + "\n";
  }

  private push(type: "user" | "assistant", message: Record<string, unknown>, extra: Record<string, unknown> = {}): this {
    const index = this.records.length;
    const uuid = `00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}`;
    const start = this.options.start ?? new Date("2026-11-20T09:00:00Z");
    this.records.push({
      parentUuid: this.parent,
      isSidechain: false,
      userType: "external",
      cwd: this.options.cwd ?? "/home/tech/acme-web",
      sessionId: this.options.sessionId,
      version: "2.0.0",
      gitBranch: this.options.gitBranch ?? "main",
      type,
      message,
      uuid,
      timestamp: new Date(start.getTime() + index * 60_000).toISOString(),
      ...extra,
    });
    this.parent = uuid;
    return this;
  }
}

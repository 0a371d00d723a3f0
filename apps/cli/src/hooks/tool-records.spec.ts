import { commandOutcomeOf, commandRecordOf, fileChangeRecordOf, summarizeOutput } from "./tool-records";

const scope = { cwd: "/work/app" };
const redact = (text: string) => text.replace(/hunter2/g, "[REDACTED:password]");

describe("commandRecordOf", () => {
  it("records a Bash command with its exit status and a redacted output summary", () => {
    const record = commandRecordOf(
      "Bash",
      { command: "  mysql -u root -phunter2 -e 'select 1'  ", description: "check db" },
      { stdout: "1\nconnected as hunter2", stderr: "", interrupted: false, isImage: false },
      scope,
      redact,
    );
    expect(record).toEqual({
      scope,
      shellType: "bash",
      commandText: "mysql -u root -p[REDACTED:password] -e 'select 1'",
      success: true,
      outputSummary: "1\nconnected as [REDACTED:password]",
    });
  });

  it("redacts a summary on its own unless it is the whole redacted output", () => {
    const redacted: string[] = [];
    const counting = (text: string) => (redacted.push(text), redact(text));
    const short = commandRecordOf("Bash", { command: "cat db.env" }, { stdout: "user=app\npass=hunter2", stderr: "" }, scope, counting);
    expect(short?.outputSummary).toBe("user=app\npass=[REDACTED:password]");
    expect(redacted).toEqual(["cat db.env", "user=app\npass=hunter2"]);

    redacted.length = 0;
    // Blank lines and trailing spaces dropped: the summary differs from the output, so it is redacted again.
    const spaced = commandRecordOf(
      "Bash",
      { command: "cat db.env" },
      { stdout: "user=app  \n\npass=hunter2\n", stderr: "" },
      scope,
      counting,
    );
    expect(spaced?.outputSummary).toBe("user=app\npass=[REDACTED:password]");
    expect(redacted).toEqual(["cat db.env", "user=app  \n\npass=hunter2\n", "user=app\npass=[REDACTED:password]"]);
  });

  it("reads a failure from Claude Code's 'Error: Exit code N' answer", () => {
    const record = commandRecordOf("Bash", { command: "make test" }, "Error: Exit code 2\nmake: *** [test] Error 1", scope, redact);
    expect(record).toMatchObject({ exitCode: 2, success: false, errorMessage: expect.stringContaining("make: *** [test] Error 1") });
  });

  it("takes an explicit exitCode, and an interrupted command as failed", () => {
    expect(commandOutcomeOf({ stdout: "x", stderr: "", exitCode: 127 })).toMatchObject({ exitCode: 127, success: false });
    expect(commandOutcomeOf({ stdout: "x", stderr: "", interrupted: true })).toMatchObject({ success: false });
    expect(commandOutcomeOf({ stdout: "ok", stderr: "" })).toMatchObject({ success: true });
    expect(commandOutcomeOf(undefined)).toEqual({ output: "", error: "" });
  });

  it("keeps the command of msp cred reveal and totp but never their output (a secret no redactor recognises)", () => {
    const revealed = commandRecordOf(
      "Bash",
      { command: "msp cred reveal 01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b --reason 'reset backup job'" },
      { stdout: "Xq7#pL2v-random\n", stderr: "", interrupted: false },
      scope,
      redact,
    );
    expect(revealed).toEqual({
      scope,
      shellType: "bash",
      commandText: "msp cred reveal 01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b --reason 'reset backup job'",
      success: true,
      outputSummary: "[output withheld: msp cred prints secrets]",
    });
    const failed = commandRecordOf("Bash", { command: "npx msp cred totp abc" }, "Error: Exit code 1\n123456", scope, redact);
    expect(failed).toMatchObject({ exitCode: 1, success: false, outputSummary: "[output withheld: msp cred prints secrets]" });
    expect(JSON.stringify(failed)).not.toContain("123456");
    expect(commandRecordOf("Bash", { command: "msp cred list" }, { stdout: "NAME TYPE" }, scope, redact)?.outputSummary).toBe("NAME TYPE");
  });

  it("ignores other tools and empty commands", () => {
    expect(commandRecordOf("Read", { command: "ls" }, {}, scope, redact)).toBeUndefined();
    expect(commandRecordOf("Bash", { command: "   " }, {}, scope, redact)).toBeUndefined();
  });
});

describe("summarizeOutput", () => {
  it("keeps short output and shortens long output to its first and last lines", () => {
    expect(summarizeOutput("a\n\nb\r\n")).toBe("a\nb");
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
    expect(summarizeOutput(long)).toBe("line 0\nline 1\nline 2\n... (92 more lines)\nline 95\nline 96\nline 97\nline 98\nline 99");
    expect(summarizeOutput("x".repeat(5000)).length).toBeLessThanOrEqual(600);
  });
});

describe("fileChangeRecordOf", () => {
  const size = () => 120;

  it("records a created file from Write and an edit from Edit", () => {
    expect(
      fileChangeRecordOf("Write", { file_path: "/work/app/new.ts", content: "a\nb\n" }, { type: "create" }, scope, redact, size),
    ).toEqual({
      scope,
      filePath: "/work/app/new.ts",
      changeType: "FILE_CHANGE_TYPE_CREATED",
      sizeBytes: 120,
      description: "Created with 2 lines by Claude Code",
    });
    expect(
      fileChangeRecordOf(
        "Edit",
        { file_path: "/work/app/a.ts", old_string: "x", new_string: "y\nz", replace_all: true },
        {},
        scope,
        redact,
        () => undefined,
      ),
    ).toEqual({
      scope,
      filePath: "/work/app/a.ts",
      changeType: "FILE_CHANGE_TYPE_MODIFIED",
      description: "Edited: 1 line replaced by 2 (every occurrence) by Claude Code",
    });
    expect(fileChangeRecordOf("MultiEdit", { file_path: "/a", edits: [{}, {}] }, {}, scope, redact, size)?.description).toBe(
      "Edited in 2 places by Claude Code",
    );
  });

  it("ignores calls without a path and tools that change no file", () => {
    expect(fileChangeRecordOf("Edit", {}, {}, scope, redact, size)).toBeUndefined();
    expect(fileChangeRecordOf("Read", { file_path: "/a" }, {}, scope, redact, size)).toBeUndefined();
  });
});

import { printsSecret, withheldOutput, withholdSecretOutputs } from "./secret-output";

const id = "01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b";
const secret = "Xq7#pL2v-random";

const toolUse = (toolId: string, command: string) =>
  JSON.stringify({
    type: "assistant",
    message: {
      role: "assistant",
      content: [
        { type: "text", text: "Getting it." },
        { type: "tool_use", id: toolId, name: "Bash", input: { command } },
      ],
    },
  });
const toolResult = (
  toolId: string,
  output: string,
  structured: unknown = { stdout: output, stderr: "", interrupted: false, isImage: false },
) =>
  JSON.stringify({
    type: "user",
    message: { role: "user", content: [{ tool_use_id: toolId, type: "tool_result", content: output, is_error: false }] },
    toolUseResult: structured,
  });

describe("secret output of msp cred", () => {
  it("knows the commands that print a secret", () => {
    expect(printsSecret(`msp cred reveal ${id} --reason x`)).toBe(true);
    expect(printsSecret(`node apps/cli/bin/msp.js cred totp ${id}`)).toBe(true);
    expect(printsSecret(`PW=$(msp cred reveal ${id} --reason x) && echo ok`)).toBe(true);
    expect(printsSecret("msp cred list")).toBe(false);
    expect(printsSecret("msp recall credentials")).toBe(false);
  });

  it("withholds the results of reveal and totp calls in a transcript and leaves every other line as it was", () => {
    const lines = [
      toolUse("toolu_1", "ls -la"),
      toolResult("toolu_1", "total 0"),
      toolUse("toolu_2", `msp cred reveal ${id} --reason 'reset the backup job'`),
      toolResult("toolu_2", `${secret}\n`),
      toolUse("toolu_3", `msp cred totp ${id}`),
      toolResult("toolu_3", "Error: Exit code 0\n123456", `Error: Exit code 0\n123456`),
      "{ torn line",
      "",
    ];
    const out = withholdSecretOutputs(lines.join("\n")).split("\n");
    expect(out).toHaveLength(lines.length);
    for (const index of [0, 1, 2, 4, 6, 7]) expect(out[index]).toBe(lines[index]);
    expect(out.join("\n")).not.toContain(secret);
    expect(out.join("\n")).not.toContain("123456");
    const revealed = JSON.parse(out[3]!);
    expect(revealed.message.content[0]).toEqual({ tool_use_id: "toolu_2", type: "tool_result", content: withheldOutput, is_error: false });
    expect(revealed.toolUseResult).toEqual({ stdout: withheldOutput, stderr: "", interrupted: false, isImage: false });
    expect(JSON.parse(out[5]!).toolUseResult).toBe(withheldOutput);
  });

  it("returns a transcript without such calls untouched", () => {
    const text = `${toolUse("toolu_1", "msp cred list")}\n${toolResult("toolu_1", "NAME TYPE")}\n`;
    expect(withholdSecretOutputs(text)).toBe(text);
  });
});

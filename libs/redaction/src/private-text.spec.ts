import {
  hasPrivateText,
  privateTerms,
  privateTermsOf,
  rememberPrivateTerms,
  stripPrivate,
  stripPrivateTranscript,
  withoutPrivateTerms,
} from "./private-text";

describe("stripPrivate", () => {
  it("replaces each <private> block, in any case, across lines", () => {
    expect(stripPrivate("log in <private>as root with Pw-9x</private> and check <PRIVATE>10.0.0.5</Private>.")).toBe(
      "log in [private] and check [private].",
    );
    expect(stripPrivate("a <private>line one\nline two</private> b")).toBe("a [private] b");
  });

  it("hides everything after an unclosed tag, and returns other text as it is", () => {
    expect(stripPrivate("keep this <private>but not this\nnor this")).toBe("keep this [private]");
    const text = "no tags here, not even </private> alone";
    expect(stripPrivate(text)).toBe(text);
    expect(hasPrivateText(text)).toBe(false);
  });
});

describe("privateTerms", () => {
  it("keeps the specific words of private text, never plain words", () => {
    expect(privateTerms(["the password is Nas!2025x, the IP 10.9.8.7"])).toEqual([
      "the password is Nas!2025x, the IP 10.9.8.7",
      "Nas!2025x",
      "10.9.8.7",
    ]);
    expect(privateTerms(["secret plans"])).toEqual(["secret plans"]);
    expect(privateTerms(["short"])).toEqual([]);
  });
});

describe("stripPrivateTranscript", () => {
  const record = (value: unknown) => JSON.stringify(value);

  it("strips every string of every record, keeps each line valid JSON, and removes repetitions elsewhere", () => {
    const transcript = [
      record({ type: "user", message: { role: "user", content: "check the NAS <private>root pw Nas!2025x on 10.9.8.7</private> please" } }),
      record({
        type: "assistant",
        message: { content: [{ type: "tool_use", input: { command: "sshpass -p 'Nas!2025x' ssh root@10.9.8.7 df" } }] },
      }),
      record({ type: "user", toolUseResult: { stdout: "Filesystem\n10.9.8.7:/vol\nNas!2025x" } }),
      record({ type: "user", message: { content: [{ type: "text", text: "ok <private>open to the end" }] } }),
      "",
    ].join("\n");
    const stripped = stripPrivateTranscript(transcript);
    const lines = stripped.split("\n");
    expect(lines).toHaveLength(5);
    for (const line of lines.slice(0, 4)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(stripped).not.toMatch(/Nas!2025x|10\.9\.8\.7|open to the end/);
    expect(JSON.parse(lines[0]!).message.content).toBe("check the NAS [private] please");
    expect(JSON.parse(lines[1]!).message.content[0].input.command).toBe("sshpass -p '[private]' ssh root@[private] df");
    expect(JSON.parse(lines[2]!).toolUseResult.stdout).toBe("Filesystem\n[private]:/vol\n[private]");
  });

  it("strips a line that is not JSON as text, and returns a transcript without tags unchanged", () => {
    expect(stripPrivateTranscript('{"torn": "x <private>y')).toBe('{"torn": "x [private]');
    const plain = `${record({ type: "user", message: { content: "hello" } })}\n`;
    expect(stripPrivateTranscript(plain)).toBe(plain);
  });
});

describe("private terms remembered between hooks", () => {
  it("are kept as keyed digests, and replace the tokens that repeat them", () => {
    const known = rememberPrivateTerms(undefined, privateTermsOf("use <private>Nas!2025x on 10.9.8.7</private>"));
    expect(JSON.stringify(known)).not.toMatch(/Nas!2025x|10\.9\.8\.7/);
    expect(withoutPrivateTerms("sshpass -p 'Nas!2025x' ssh admin@10.9.8.7 df -h", known)).toBe(
      "sshpass -p '[private]' ssh admin@[private] df -h",
    );
    expect(withoutPrivateTerms("curl -u admin:Nas!2025x http://10.9.8.7/", known)).toBe("curl -u admin:[private] http://[private]/");
    const more = rememberPrivateTerms(known, ["Other-9z"]);
    expect(more.key).toBe(known.key);
    expect(withoutPrivateTerms("echo Other-9z Nas!2025x.", more)).toBe("echo [private] [private].");
    expect(withoutPrivateTerms("nothing to do here", undefined)).toBe("nothing to do here");
  });
});

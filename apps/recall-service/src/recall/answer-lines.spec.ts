import type { SummaryLine } from "./answer-lines";
import { answerLines } from "./answer-lines";
import { formsOf } from "./synonyms";
import { termsOf } from "./terms";

/** A summary's lines as the digest reads them: "## X" a heading, "- x" a line. */
function summary(...lines: string[]): SummaryLine[] {
  return lines.map((line) =>
    line.startsWith("## ") ? { text: `${line.slice(3)}:`, heading: true } : { text: line.replace(/^- /, "· "), heading: false },
  );
}

const answer = (lines: SummaryLine[], question: string) => answerLines(lines, termsOf(question), question);

describe("answerLines", () => {
  it("ranks a line naming a rare word of the question above one naming a word most lines share", () => {
    const lines = summary(
      "## Commands",
      "- `avdmanager create avd -n test_1` ok",
      "- `avdmanager delete avd -n test_1` ok",
      "- `emulator -avd test_1 -memory 4096` ok",
      "## Other",
      "- the avd storage is 128 GB",
    );
    // "avd" is on every line, "storage" on one: the line naming it comes first.
    expect(answer(lines, "what storage does the avd have?")[0]).toBe("· the avd storage is 128 GB");
  });

  it("shows the line next to a good match in its section, never across a heading", () => {
    const lines = summary(
      "## State at end",
      "- BLOCKER: `adb shell su -c id` failed: exit 127: su: inaccessible or not found",
      "- BLOCKER: `adb remount` failed: exit 127: remount: inaccessible or not found",
      "## Files",
      "- created notes.md",
    );
    expect(answer(lines, "is su available?")).toEqual([
      "· BLOCKER: `adb shell su -c id` failed: exit 127: su: inaccessible or not found",
      "· BLOCKER: `adb remount` failed: exit 127: remount: inaccessible or not found",
    ]);
    expect(answer(lines, "is there a changelog?")).toEqual([]);
  });

  it("matches a technician's synonym, in Chinese too, and two words an identifier joins", () => {
    const lines = summary(
      "## Goals",
      "- 内存配置12G,存储配置128G",
      "## Findings",
      "- The script appears to be stuck after copying files",
      "- 但默认 filter 不包含 FILTER_JAVAHEAP_VMA",
      "## Other",
      "- unrelated line",
    );
    expect(answer(lines, "how much RAM and storage?")).toEqual(["· 内存配置12G,存储配置128G"]);
    expect(answer(lines, "where did the patching stall?")[0]).toBe("· The script appears to be stuck after copying files");
    expect(answer(lines, "is the java heap kept?")[0]).toBe("· 但默认 filter 不包含 FILTER_JAVAHEAP_VMA");
  });

  it("finds the value a question names by its kind: an address for an IP, a URL, a port", () => {
    const lines = summary(
      "## Settled values",
      "- hosts: 142.93.216.121, ubuntu-blockchain.org",
      "## Files",
      "- created README.md",
      "## Commands",
      "- `curl https://api.example.org/health` ok",
      "## Where",
      "- the api listens on port 8443",
    );
    expect(answer(lines, "what is the droplet IP?")).toEqual(["· hosts: 142.93.216.121, ubuntu-blockchain.org"]);
    expect(answer(lines, "which url did we check?")).toEqual(["· `curl https://api.example.org/health` ok"]);
    expect(answer(lines, "what port does the api use?")[0]).toBe("· the api listens on port 8443");
    expect(answer(summary("- relay through smtp.acme.example:587", "## Other", "- nothing here"), "which port?")).toEqual([
      "· relay through smtp.acme.example:587",
    ]);
  });

  it("answers a why question with causes and failures as well as its subject's lines", () => {
    const lines = summary(
      "## State at end",
      "- BLOCKER: Write failed 10 times: InputValidationError",
      "## Files",
      "- created docs/design.md: the design",
    );
    expect(answer(lines, "why is there no setup script yet?")).toEqual(["· BLOCKER: Write failed 10 times: InputValidationError"]);
    // The same words without "why" ask for nothing this summary holds.
    expect(answer(lines, "is there a setup script yet?")).toEqual([]);
  });
});

describe("formsOf", () => {
  it("gives a word's stem and its synonyms' forms, and nothing more for a word without any", () => {
    expect(formsOf("stalled")).toEqual(expect.arrayContaining(["stall", "stuck", "hang", "卡住"]));
    expect(formsOf("RAM")).toEqual(expect.arrayContaining(["ram", "memory", "内存"]));
    expect(formsOf("rooting")).toEqual(["root"]);
  });
});

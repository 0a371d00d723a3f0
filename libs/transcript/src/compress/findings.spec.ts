import { parseTranscript } from "../parse-transcript";
import { collectFindings, proseLines, specificsOf } from "./findings";
import { buildTimeline } from "./timeline";

function transcript(turns: Array<["user" | "assistant", string]>): string {
  return turns
    .map(([role, text], i) =>
      JSON.stringify({
        type: role,
        isSidechain: false,
        sessionId: "s1",
        cwd: "/srv/app",
        uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        timestamp: `2026-05-16T06:${String(10 + i).padStart(2, "0")}:00.000Z`,
        message: { role, content: role === "user" ? text : [{ type: "text", text }] },
      }),
    )
    .join("\n");
}

const findingsOf = (turns: Array<["user" | "assistant", string]>, redact = (t: string) => t) =>
  collectFindings({ timeline: buildTimeline(parseTranscript(transcript(turns)).events), redact, cwd: "/srv/app" });

describe("specificsOf", () => {
  it("counts files, identifiers, flags, hex, versions and addresses once each", () => {
    expect(specificsOf("ShouldAllocLargeObject in heap-inl.h:439 uses kDefaultLargeObjectThreshold = 12 * KB").size).toBeGreaterThanOrEqual(
      3,
    );
    expect(specificsOf("This is a plain sentence about nothing in particular.").size).toBe(0);
    expect([...specificsOf("echo 0x3f > /proc/<pid>/coredump_filter")]).toEqual(
      expect.arrayContaining(["0x3f", "/proc/<pid>/coredump_filter"]),
    );
  });
});

describe("proseLines", () => {
  it("joins table cells, puts short items under their heading and keeps short commands from fences", () => {
    const text = [
      "### Default filter",
      "- 0x080 drops dalvik",
      "| Flag | Value |",
      "|---|---|",
      "| FILTER_JAVAHEAP_VMA | 0x080 |",
      "```",
      "echo 0x3f > /proc/1/coredump_filter",
      "```",
    ].join("\n");
    expect(proseLines(text)).toEqual([
      "Default filter: 0x080 drops dalvik",
      "Default filter: Flag · Value",
      "Default filter: FILTER_JAVAHEAP_VMA · 0x080",
      "`echo 0x3f > /proc/1/coredump_filter`",
    ]);
  });
});

describe("proseLines of tables and fences", () => {
  it("joins a label/value table into one line under its heading, header left out, each row once", () => {
    const text = [
      "## Stack",
      "| Layer | Tech |",
      "|---|---|",
      "| **Language** | C++17 |",
      "| Build | CMake 3.21.1+ |",
      "| Version | `v26.3.29` |",
    ].join("\n");
    expect(proseLines(text)).toEqual(["Stack — Language: C++17; Build: CMake 3.21.1+; Version: v26.3.29"]);
  });

  it("splits a long label/value table into lines that fit, and keeps rows of wider tables apart", () => {
    const rows = Array.from({ length: 8 }, (_, index) => `| setting_${index} | ${"value ".repeat(8)}${index} |`);
    const joined = proseLines(["| Name | Value |", "|---|---|", ...rows].join("\n"));
    expect(joined.length).toBeGreaterThan(1);
    expect(joined.every((line) => line.length <= 240)).toBe(true);
    expect(joined.join("; ").match(/setting_\d/g)).toHaveLength(8);
    expect(
      proseLines(["| Flag | Value | Drops |", "|---|---|---|", "| A_FLAG | 0x080 | heap |", "| B_FLAG | 0x100 | jit |"].join("\n")),
    ).toEqual(["Flag · Value · Drops", "A_FLAG · 0x080 · heap", "B_FLAG · 0x100 · jit"]);
  });

  it("keeps commands and statements from fences but not block openers, drawings or diagrams", () => {
    const text = [
      "```",
      "adb shell getprop ro.debuggable",
      "case EM_ARM: INSTANCE = std::make_unique<arm::Core>(map); break;",
      "if (obj.Ptr() && obj.IsValid()) {",
      '├── cmd_class.cpp:19 "cmd_print.h"',
      "```",
      "```mermaid",
      'M3{"obj.IsValid()?"}',
      "```",
    ].join("\n");
    expect(proseLines(text)).toEqual([
      "`adb shell getprop ro.debuggable`",
      "`case EM_ARM: INSTANCE = std::make_unique<arm::Core>(map); break;`",
    ]);
  });
});

describe("collectFindings", () => {
  it("keeps the assistant's dense lines, redacted, once, and skips chatter, questions and vague prose", () => {
    const found = findingsOf(
      [
        ["user", "how does ART pick the large object space?"],
        ["assistant", "Let me check heap.cc and heap-inl.h for that."],
        [
          "assistant",
          [
            "The rule is in heap-inl.h:439 (ShouldAllocLargeObject): byte_count >= large_object_threshold_ and a primitive array or String.",
            "The default is kDefaultLargeObjectThreshold = 12 * KB in heap.h:157.",
            "It is quite an interesting design overall.",
            "Do you want me to look at -XX:LargeObjectSpace=freelist as well?",
            "The token ghp_secret123 in /srv/app/config/app.yml is not used by heap.cc or heap.h.",
            "The default is kDefaultLargeObjectThreshold = 12 * KB in heap.h:157.",
          ].join("\n"),
        ],
      ],
      (t) => t.replace("ghp_secret123", "[REDACTED:token]"),
    );
    const texts = found.map((f) => f.text);
    expect(texts).toContain(
      "The rule is in heap-inl.h:439 (ShouldAllocLargeObject): byte_count >= large_object_threshold_ and a primitive array or String.",
    );
    expect(texts.filter((t) => t.includes("kDefaultLargeObjectThreshold"))).toHaveLength(1);
    expect(texts.some((t) => t.startsWith("Let me"))).toBe(false);
    expect(texts.some((t) => t.includes("interesting design"))).toBe(false);
    expect(texts.some((t) => t.endsWith("?"))).toBe(false);
    expect(texts.join("\n")).not.toContain("ghp_secret123");
    expect(texts.join("\n")).toContain("config/app.yml");
  });

  it("weighs a turn's last answer above the same kind of line said on the way", () => {
    const found = findingsOf([
      ["user", "where is the relay configured?"],
      ["assistant", "Checking main.cf: relayhost_old and smtp_port_old in /etc/postfix/old.cf"],
      ["assistant", "Answer: relayhost and smtp_port are set in /etc/postfix/main.cf"],
    ]);
    const [onTheWay, final] = found;
    expect(final!.weight).toBeGreaterThan(onTheWay!.weight);
  });

  it("weighs a statement of code in a fence half a command naming as many specifics", () => {
    const found = findingsOf([
      ["user", "how is the core loaded?"],
      [
        "assistant",
        "Two lines:\n```\nload_core --arch=x86_64 --filter=0x080 core.bin\ndump_core --arch=arm64 --filter=0x100 core.img;\n```",
      ],
    ]);
    const [command, statement] = found;
    expect(command!.text).toBe("`load_core --arch=x86_64 --filter=0x080 core.bin`");
    expect(statement!.weight).toBeLessThan(command!.weight / 1.5);
  });
});

describe("remarks with few specifics", () => {
  it("keeps a remark that states a conclusion as a minor finding, without the announcement after it", () => {
    const found = findingsOf([
      ["user", "run the root script"],
      ["assistant", "I see the script expects a path relative to ANDROID_HOME. Let me try that."],
      ["assistant", "The download is still in progress (24%), waiting a little longer."],
      ["assistant", "好的,让我继续等待脚本执行完成。"],
    ]);
    expect(found.map((f) => [f.text, f.minor])).toEqual([["I see the script expects a path relative to ANDROID_HOME.", true]]);
  });

  it("ranks minor remarks after every finding with specifics", () => {
    const found = findingsOf([
      ["user", "why does it hang?"],
      ["assistant", "The process seems to hang after copying the files."],
      ["assistant", "The hang is in rootAVD.sh at copy_files() with BUSYBOX_PATH=/data/local/busybox."],
    ]);
    const minor = found.find((f) => f.minor);
    const major = found.find((f) => !f.minor);
    expect(minor?.text).toBe("The process seems to hang after copying the files.");
    expect(major).toBeDefined();
  });
});

describe("terms marked as code", () => {
  it("count as specifics: a design value in backticks is a finding, the same words without them are not", () => {
    const found = findingsOf([
      ["user", "design the avd script"],
      ["assistant", "- AVD name: `rootable-sdk36-dev`, device `pixel-six-pro`\n- Old name: plain-avd-name, device pixel-five-pro"],
    ]);
    expect(found.map((f) => [f.text, f.minor])).toEqual([["AVD name: rootable-sdk36-dev, device pixel-six-pro", undefined]]);
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, defaultSummarizer, readConfig, summaryPreferenceOf } from "../local/cli-config";
import { tempDir } from "../test-support/temp-dirs";
import { memoryWithSummaries, summarizerLines, summarizerSettingsOf } from "./setup-summarizer";

describe("msp setup --summarizer", () => {
  it("is off unless asked; claude turns it on with the defaults and the options, off turns it off, nothing keeps it", () => {
    expect(summarizerSettingsOf({}, undefined)).toBeUndefined();
    expect(summarizerSettingsOf({ summarizer: "claude" }, undefined)).toEqual(defaultSummarizer);
    const tuned = summarizerSettingsOf(
      { summarizer: "Claude", summarizerModel: "sonnet", summarizerDailyTokens: "50_000", summarizerCommand: "./bin/claude" },
      undefined,
    );
    expect(tuned).toEqual({ tool: "claude", model: "sonnet", dailyTokenCap: 50_000, command: join(process.cwd(), "bin", "claude") });
    expect(summarizerSettingsOf({}, tuned)).toEqual(tuned);
    expect(summarizerSettingsOf({ summarizerModel: "opus" }, tuned)).toEqual({ ...tuned, model: "opus" });
    expect(summarizerSettingsOf({ summarizer: "off" }, tuned)).toBeUndefined();
  });

  it("refuses what it cannot use, naming the option", () => {
    expect(() => summarizerSettingsOf({ summarizer: "gpt" }, undefined)).toThrow(/--summarizer: "gpt" is not known; use claude/);
    expect(() => summarizerSettingsOf({ summarizerModel: "haiku" }, undefined)).toThrow(/need --summarizer claude/);
    expect(() => summarizerSettingsOf({ summarizer: "off", summarizerModel: "haiku" }, undefined)).toThrow(/--summarizer off takes no/);
    expect(() => summarizerSettingsOf({ summarizer: "claude", summarizerModel: "haiku; rm -rf ~" }, undefined)).toThrow(
      /--summarizer-model/,
    );
    for (const bad of ["0", "-5", "1.5", "lots"])
      expect(() => summarizerSettingsOf({ summarizer: "claude", summarizerDailyTokens: bad }, undefined)).toThrow(
        /--summarizer-daily-tokens: a whole number/,
      );
  });

  it("makes recall prefer the model summaries when it is turned on, unless the technician chose otherwise", () => {
    expect(memoryWithSummaries(undefined, undefined, defaultSummarizer)).toEqual({ memory: { summaries: "model" } });
    expect(memoryWithSummaries({ exclude: ["scratch/**"] }, undefined, defaultSummarizer)).toEqual({
      memory: { exclude: ["scratch/**"], summaries: "model" },
    });
    expect(memoryWithSummaries({ summaries: "deterministic" }, undefined, defaultSummarizer)).toEqual({
      memory: { summaries: "deterministic" },
    });
    expect(memoryWithSummaries(undefined, defaultSummarizer, defaultSummarizer)).toEqual({});
    expect(memoryWithSummaries(undefined, undefined, undefined)).toEqual({});
    expect(summaryPreferenceOf({ memory: { summaries: "model" } } as never)).toEqual({ contextSummary: "model" });
    expect(summaryPreferenceOf({} as never)).toEqual({});
  });

  it("says what it costs when on", () => {
    expect(summarizerLines(undefined)).toEqual([]);
    expect(summarizerLines(defaultSummarizer).join("\n")).toMatch(
      /claude -p --model haiku.*costs your Claude subscription or API key .* at most 200,000 a day on this machine.*--summarizer off/s,
    );
  });

  it("refuses a config whose summarizer or summaries setting is malformed, so the hooks send nothing rather than guess", () => {
    const path = join(tempDir("msp-config-"), "config.json");
    const base = { server: "http://x", machineId: "m", machineName: "n", fingerprint: "f", apiKey: "k", setupAt: "" };
    writeFileSync(path, JSON.stringify({ ...base, summarizer: { ...defaultSummarizer } }));
    expect(readConfig(path)?.summarizer).toEqual(defaultSummarizer);
    writeFileSync(path, JSON.stringify({ ...base, summarizer: { tool: "claude", model: "haiku" } }));
    expect(() => readConfig(path)).toThrow(ConfigError);
    writeFileSync(path, JSON.stringify({ ...base, memory: { summaries: "llm" } }));
    expect(() => readConfig(path)).toThrow(/memory.summaries must be "model" or "deterministic"/);
  });
});

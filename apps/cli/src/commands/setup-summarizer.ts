import { resolve } from "node:path";
import type { MemorySettings, SummarizerSettings } from "../local/cli-config";
import { defaultSummarizer } from "../local/cli-config";
import { CommandError } from "./command-support";

/** The options of `msp setup` about model summaries. */
export interface SummarizerOptions {
  summarizer?: string;
  summarizerModel?: string;
  summarizerDailyTokens?: string;
  summarizerCommand?: string;
}

/** The most a daily cap may say: a cap is a safeguard, not a formality. */
const maxDailyTokens = 100_000_000;

/**
 * The summarizer settings a setup stores: `--summarizer claude` turns it on (the defaults, then
 * what was stored before, then the options), `--summarizer off` turns it off, no option keeps
 * what was stored (with the other options applied to it). Bad values are refused, named.
 */
export function summarizerSettingsOf(options: SummarizerOptions, previous: SummarizerSettings | undefined): SummarizerSettings | undefined {
  const tool = options.summarizer?.trim().toLowerCase();
  const tuning =
    options.summarizerModel !== undefined || options.summarizerDailyTokens !== undefined || options.summarizerCommand !== undefined;
  if (tool !== undefined && tool !== "claude" && tool !== "off")
    throw new CommandError(`--summarizer: "${options.summarizer}" is not known; use claude (your own Claude Code, headless) or off`);
  if (tool === "off") {
    if (tuning) throw new CommandError("--summarizer off takes no --summarizer-model, --summarizer-daily-tokens or --summarizer-command");
    return undefined;
  }
  if (tool === undefined && !previous) {
    if (tuning) throw new CommandError("--summarizer-model, --summarizer-daily-tokens and --summarizer-command need --summarizer claude");
    return undefined;
  }
  const settings: SummarizerSettings = { ...defaultSummarizer, ...previous };
  if (options.summarizerModel !== undefined) {
    const model = options.summarizerModel.trim();
    if (!/^[\w.:@/-]{1,128}$/.test(model))
      throw new CommandError("--summarizer-model: a model as claude --model takes it, such as haiku, sonnet or claude-sonnet-4-5");
    settings.model = model;
  }
  if (options.summarizerDailyTokens !== undefined) {
    const tokens = Number(options.summarizerDailyTokens.replace(/[_,]/g, ""));
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > maxDailyTokens)
      throw new CommandError(`--summarizer-daily-tokens: a whole number of tokens between 1 and ${maxDailyTokens}`);
    settings.dailyTokenCap = tokens;
  }
  if (options.summarizerCommand !== undefined) {
    const command = options.summarizerCommand.trim();
    if (command === "") throw new CommandError("--summarizer-command: the claude executable, a path or a name on PATH");
    // A path is stored absolute: the summarizer runs from its own folder.
    settings.command = command.includes("/") || command.includes("\\") ? resolve(command) : command;
  }
  return settings;
}

/**
 * The memory settings with the summaries preference: turning the summarizer on makes this
 * machine's recall prefer the model summaries, unless the technician chose otherwise before.
 */
export function memoryWithSummaries(
  memory: MemorySettings | undefined,
  before: SummarizerSettings | undefined,
  after: SummarizerSettings | undefined,
): { memory?: MemorySettings } {
  if (after && !before && memory?.summaries === undefined) return { memory: { ...memory, summaries: "model" } };
  return memory ? { memory } : {};
}

/** What setup says about the summarizer: what it costs, when it is on. */
export function summarizerLines(settings: SummarizerSettings | undefined): string[] {
  if (!settings) return [];
  return [
    `Model summaries on: after each session your Claude Code (${settings.command} -p --model ${settings.model}) writes a summary too, in the background. ` +
      `It costs your Claude subscription or API key a few thousand to about 25,000 tokens a session, at most ${settings.dailyTokenCap.toLocaleString("en-US")} a day on this machine. ` +
      "msp setup --summarizer off stops it.",
  ];
}

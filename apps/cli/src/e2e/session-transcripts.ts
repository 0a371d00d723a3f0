// The transcripts the end-to-end suites send through the Stop hook: a real Claude Code session
// from ../shared/fixtures/transcripts (third-party data, read in place and copied only into
// temporary folders) with the fact list of the recall evaluation harness, or the project's own
// synthetic session when that folder is absent.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FactList } from "@msp/transcript";
import { parseFactList } from "@msp/transcript";
import { repoRoot } from "./cli-harness";

export interface SessionTranscript {
  /** Where the transcript is read from. */
  path: string;
  facts: FactList;
  /** "real" for a fixture Claude Code wrote, "synthetic" for the project's own. */
  origin: "real" | "synthetic";
}

export function transcriptsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["MSP_TRANSCRIPTS_DIR"] ?? resolve(repoRoot, "../shared/fixtures/transcripts");
}

/** The project's own session: a 502 on web01 fixed in 24 minutes (apps/cli/src/e2e/fixtures). */
export function syntheticTranscript(): SessionTranscript {
  const dir = join(__dirname, "fixtures");
  const facts = parseFactList(JSON.parse(readFileSync(join(dir, "portal-502.facts.json"), "utf8")), "portal-502.facts.json");
  return { path: join(dir, facts.transcript), facts, origin: "synthetic" };
}

/**
 * A real transcript with its harness facts (tools/recall-eval/facts/<name>.json) when the
 * fixtures folder is there; the synthetic one otherwise, with the reason printed.
 */
export function sessionTranscript(factsName: string): SessionTranscript {
  const dir = transcriptsDir();
  const factsPath = join(repoRoot, "tools", "recall-eval", "facts", `${factsName}.json`);
  if (!existsSync(dir) || !existsSync(factsPath)) {
    console.warn(`real transcripts not found at ${dir} (set MSP_TRANSCRIPTS_DIR): using the synthetic session instead`);
    return syntheticTranscript();
  }
  const facts = parseFactList(JSON.parse(readFileSync(factsPath, "utf8")), factsPath);
  const path = join(dir, facts.transcript);
  if (!existsSync(path)) {
    console.warn(`${path} is missing: using the synthetic session instead`);
    return syntheticTranscript();
  }
  return { path, facts, origin: "real" };
}

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { mayMatch } from "../find-secrets";
import type { SecretRule } from "../secret-rule";
import { plantedSecrets } from "../testing";
import { secretRules } from ".";
import { ruleKeywords } from "./keywords";

// A rule runs only on texts holding one of its keywords (keywords.ts). A keyword that a match can
// do without would hide secrets from the rule, so every pattern runs here ungated over every text
// the project's tests use (planted secrets, the redaction specs' own sources, the real transcripts
// when present) and any text it matches must hold one of the rule's keywords.

const repoRoot = resolve(__dirname, "../../../..");
const transcriptsDir = process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(repoRoot, "../shared/fixtures/transcripts");

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

/** Lines for the rules no other test text exercises. */
const ownExamples = [
  "curl -X POST https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnopqrstuvwx -d @msg.json",
  "az storage blob download --blob-url 'https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=AbCdEfGhIjKlMnOpQrSt%2Bu'",
  "Ocp-Apim-Subscription-Key: 0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d",
  '$cred = New-Object System.Net.NetworkCredential("svc-backup", "Wint3r-Fjord-88")',
  "openssl enc -aes-256-cbc -salt -pass pass:Tr0ub4dor-and-3 -in backup.tar -out backup.enc",
];

/** Lines of text to check: short ones, and whole files, as the redactor gets both. */
function corpus(): string[] {
  const texts: string[] = [...ownExamples];
  for (const planted of plantedSecrets()) texts.push(planted.line);
  const specSources = [...filesUnder(resolve(__dirname, ".."), ".spec.ts"), ...filesUnder(resolve(repoRoot, "apps"), "planted-secrets.spec.ts")];
  for (const file of specSources) {
    const source = readFileSync(file, "utf8");
    texts.push(source, ...source.split("\n"));
  }
  if (existsSync(transcriptsDir)) {
    for (const file of filesUnder(transcriptsDir, ".jsonl")) texts.push(...readFileSync(file, "utf8").split("\n"));
  } else {
    console.warn(`keywords checked without the real transcripts: ${transcriptsDir} not found (set MSP_TRANSCRIPTS_DIR)`);
  }
  return texts;
}

function matches(rule: SecretRule, text: string): boolean {
  rule.pattern.lastIndex = 0;
  const found = rule.pattern.exec(text) !== null;
  rule.pattern.lastIndex = 0;
  return found;
}

describe("rule keywords", () => {
  it("names a lower-case, non-empty word list (or null) for every rule", () => {
    for (const rule of secretRules) {
      const keywords = ruleKeywords[rule.name];
      expect({ rule: rule.name, known: keywords !== undefined }).toEqual({ rule: rule.name, known: true });
      for (const keyword of keywords ?? []) expect({ rule: rule.name, keyword }).toEqual({ rule: rule.name, keyword: keyword.toLowerCase() });
      if (keywords) expect(keywords.length).toBeGreaterThan(0);
      expect(keywords?.every((k) => k !== "") ?? true).toBe(true);
    }
  });

  it("never keeps a rule from a text it matches", () => {
    const texts = corpus();
    const missed: string[] = [];
    const matched = new Set<string>();
    for (const text of texts) {
      const lower = text.toLowerCase();
      for (const rule of secretRules) {
        if (!matches(rule, text)) continue;
        matched.add(rule.name);
        if (!mayMatch(rule, lower)) missed.push(`${rule.name}: ${text.slice(0, 200)}`);
      }
    }
    expect(missed).toEqual([]);
    // Every rule was tried on at least one text it matches, or the check above proves nothing for it.
    expect(secretRules.map((r) => r.name).filter((name) => !matched.has(name))).toEqual([]);
  });

  it("lets a rule run on a text holding its keyword in any case", () => {
    const github = secretRules.find((r) => r.name === "github-token")!;
    expect(mayMatch(github, "token GHP_x".toLowerCase())).toBe(true);
    expect(mayMatch(github, "nothing here")).toBe(false);
  });
});

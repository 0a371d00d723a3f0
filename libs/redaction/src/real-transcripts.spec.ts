import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { findSecrets } from "./find-secrets";
import { redactText } from "./redact-text";
import { isContentHash, isPathLike, isUuid } from "./secret-shape";

// Real Claude Code transcripts (third-party data, outside the repository): the redactor must
// remove a real password wherever the session repeated it, and must not break or blur the rest.

const repoRoot = resolve(__dirname, "../../..");
const transcriptsDir = process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(repoRoot, "../shared/fixtures/transcripts");
const basicAuthSession = join(transcriptsDir, "Skills03__ubuntu-secure", "extracted_conversation_1201_messages.jsonl");

function transcriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return transcriptFiles(path);
    return name.endsWith(".jsonl") ? [path] : [];
  });
}

/** Passwords the session set with `htpasswd -b` and then used with `curl -u` for the same user. */
function basicAuthPasswords(raw: string): string[] {
  const set = new Map<string, string>();
  for (const match of raw.matchAll(/htpasswd\s+-[A-Za-z]*b[A-Za-z]*\s+\S+\s+([\w.-]+)\s+([^\s"\\]+)/g))
    set.set(`${match[1]}:${match[2]}`, match[2] ?? "");
  const used = [...raw.matchAll(/curl\s[^"\n]*?-u\s+([\w.-]+:[^\s"\\]+)/g)].map((match) => match[1] ?? "");
  return [...new Set(used.filter((pair) => set.has(pair)).map((pair) => set.get(pair) ?? ""))];
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const haveTranscripts = existsSync(transcriptsDir);
if (!haveTranscripts) console.warn(`skipping real-transcript redaction tests: ${transcriptsDir} not found (set MSP_TRANSCRIPTS_DIR)`);
const haveBasicAuthSession = existsSync(basicAuthSession);
if (haveTranscripts && !haveBasicAuthSession) console.warn(`skipping the basic-auth password test: ${basicAuthSession} not found`);

(haveBasicAuthSession ? describe : describe.skip)("a real session's basic-auth password", () => {
  it("is found by its structure in the raw transcript and is gone after redacting the whole file", () => {
    const raw = readFileSync(basicAuthSession, "utf8");
    const passwords = basicAuthPasswords(raw);
    expect(passwords.length).toBeGreaterThan(0);
    const redacted = redactText(raw).text;
    for (const password of passwords) {
      expect(occurrences(raw, password)).toBeGreaterThan(10); // the session repeats it in configs, commands and prose
      expect(occurrences(redacted, password)).toBe(0);
    }
  });
});

(haveTranscripts ? describe : describe.skip)("redacting every real transcript", () => {
  const files = haveTranscripts ? transcriptFiles(transcriptsDir) : [];

  it.each(files.map((file) => [relative(transcriptsDir, file), file]))(
    "%s: stays valid JSONL, keeps thinking signatures, is idempotent",
    (_name, file) => {
      const raw = readFileSync(file, "utf8");
      const redacted = redactText(raw).text;
      expect(redactText(redacted).text).toBe(redacted);

      const rawLines = raw.split("\n");
      const redactedLines = redacted.split("\n");
      expect(redactedLines).toHaveLength(rawLines.length);
      rawLines.forEach((line, index) => {
        let parses = true;
        try {
          JSON.parse(line);
        } catch {
          parses = false;
        }
        if (parses) expect(() => JSON.parse(redactedLines[index] ?? "") as unknown).not.toThrow();
      });

      for (const match of raw.matchAll(/"signature":"([^"]+)"/g)) expect(redacted).toContain(match[1]);
    },
  );

  it.each(files.map((file) => [relative(transcriptsDir, file), file]))("%s: redacts no UUID, hash or path", (_name, file) => {
    const raw = readFileSync(file, "utf8");
    const wrong = findSecrets(raw)
      .map((span) => raw.slice(span.start, span.end))
      .filter((secret) => isUuid(secret) || isContentHash(secret) || isPathLike(secret));
    expect(wrong).toEqual([]);
  });
});

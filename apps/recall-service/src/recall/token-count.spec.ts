import { countTokens } from "@msp/transcript";
import { createLineTokenCounter } from "./token-count";

describe("createLineTokenCounter", () => {
  const text = [
    "# Memory from earlier sessions (project github.com/acme/app); each line: [kind short_id date machine]",
    "- [project_state abcdefgh 2026-11-20 LAPTOP-3] Project state: deploying (80%): nginx in front of the app",
    "  next actions: 1) switch MX records; 2) remove the old connector",
    "- [decision bcdefghi 2026-11-19 DESKTOP-9] Use Caddy instead of nginx: automatic TLS, simpler config",
    "- [failure_pattern cdefghij 2026-11-18] known issue: Get-LocalUser is not recognized -> fix: use `net user`",
    "Full item: msp recall --id abcdefgh",
  ].join("\n");

  it("is within a token per line of the tokenizer's count of the whole text", () => {
    const counter = createLineTokenCounter(countTokens);
    const exact = countTokens(text);
    expect(Math.abs(counter(text) - exact)).toBeLessThanOrEqual(text.split("\n").length);
    expect(counter("")).toBe(0);
  });

  it("counts each distinct line once", () => {
    const seen: string[] = [];
    const counter = createLineTokenCounter((line) => {
      seen.push(line);
      return line.length;
    });
    expect(counter("ab\ncd")).toBe(5);
    expect(counter("cd\nab\nef")).toBe(8);
    expect(seen).toEqual(["ab", "cd", "ef"]);
  });
});

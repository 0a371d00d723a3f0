import { countTokens } from "../count-tokens";
import type { SummaryLine } from "./dense-summary";
import { fitSummary, render } from "./dense-summary";

const lines: SummaryLine[] = [
  { section: "head", text: "# Title", tier: 0 },
  { section: "files", text: "a.ts", tier: 2, group: "created" },
  { section: "files", text: "b.ts", tier: 2, group: "created" },
  { section: "state", text: "next: deploy", tier: 1 },
  { section: "commands", text: "`make` ok", tier: 4 },
];

describe("dense summary", () => {
  it("prints sections in reading order with groups joined on one line", () => {
    expect(render(lines)).toBe(
      "# Title\n## State at end\n- next: deploy\n## Files\n- created: a.ts, b.ts\n## Commands that mattered\n- `make` ok",
    );
  });

  it("drops the lowest tiers first when the character budget is small", () => {
    const text = fitSummary(lines, 45, 1_000, countTokens);
    expect(text).toBe("# Title\n## State at end\n- next: deploy");
  });

  it("shrinks until the token budget holds", () => {
    const many: SummaryLine[] = Array.from({ length: 200 }, (_, index) => ({
      section: "commands",
      text: `\`step ${index} of the long procedure\` ok`,
      tier: 2,
    }));
    const text = fitSummary(many, 6_000, 150, countTokens);
    expect(countTokens(text)).toBeLessThanOrEqual(150);
    expect(text.length).toBeGreaterThan(100);
  });
});

import { countTokens } from "../count-tokens";
import type { SummaryLine } from "./dense-summary";
import { fitSummary, fitSummaryWithMore, render } from "./dense-summary";

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

describe("dense summary with its appendix", () => {
  it("puts the lines the summary left out after it, under More: headings, within both budgets", () => {
    const text = fitSummaryWithMore(lines, 45, 200, 1_000, countTokens);
    expect(text).toBe(
      "# Title\n## State at end\n- next: deploy\n## More: Files\n- created: a.ts, b.ts\n## More: Commands that mattered\n- `make` ok",
    );
    expect(fitSummaryWithMore(lines, 45, 0, 1_000, countTokens)).toBe("# Title\n## State at end\n- next: deploy");
    const tokens = countTokens("# Title\n## State at end\n- next: deploy");
    expect(fitSummaryWithMore(lines, 45, 200, tokens + 20, countTokens)).toBe("# Title\n## State at end\n- next: deploy");
  });

  it("adds nothing when every line fits the summary", () => {
    expect(fitSummaryWithMore(lines, 1_000, 1_000, 1_000, countTokens)).toBe(render(lines));
  });
});

describe("dense summary lines with a longer form", () => {
  const withDetail: SummaryLine[] = [
    { section: "head", text: "# Title", tier: 0 },
    { section: "files", text: "backup.sh", tier: 2, group: "created", detail: "created backup.sh: nightly pg_dump, keeps 7 days" },
    { section: "files", text: "rotate.sh", tier: 2, group: "created", detail: "created rotate.sh: weekly log rotation" },
    { section: "commands", text: "`make` ok", tier: 4 },
  ];

  it("prints the longer forms where both budgets leave room", () => {
    expect(fitSummary(withDetail, 1_000, 1_000, countTokens)).toBe(
      "# Title\n## Files\n- created backup.sh: nightly pg_dump, keeps 7 days\n- created rotate.sh: weekly log rotation\n## Commands that mattered\n- `make` ok",
    );
  });

  it("keeps the short forms, and every line, when the longer ones do not fit", () => {
    const text = fitSummary(withDetail, 90, 1_000, countTokens);
    expect(text).toBe("# Title\n## Files\n- created: backup.sh, rotate.sh\n## Commands that mattered\n- `make` ok");
    const tight = fitSummary(
      withDetail,
      1_000,
      countTokens("# Title\n## Files\n- created: backup.sh, rotate.sh\n## Commands that mattered\n- `make` ok") + 3,
      countTokens,
    );
    expect(tight).toContain("- `make` ok");
    expect(tight).not.toContain("rotate.sh: weekly");
  });
});

import { DomainError } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";
import { composeDescription, parseDescription, settleDescription } from "./work-item-description";

const none = { problem: null, cause: null, fix: null, verify: null };

describe("composeDescription", () => {
  it("writes the parts in order, leaving out empty ones", () => {
    expect(composeDescription({ problem: "Mail stuck", cause: "Full disk", fix: "Freed 20 GB", verify: "Queue empty" })).toBe(
      "Problem: Mail stuck\nCause: Full disk\nFix: Freed 20 GB\nVerify: Queue empty",
    );
    expect(composeDescription({ verify: "ping ok", problem: "No DNS", cause: "  ", fix: null })).toBe("Problem: No DNS\nVerify: ping ok");
    expect(composeDescription({})).toBeNull();
    expect(composeDescription({ problem: " " })).toBeNull();
  });
});

describe("parseDescription", () => {
  it("reads the composed form back", () => {
    const parts = { problem: "Mail stuck", cause: "Full disk", fix: "Freed 20 GB\nand rotated logs", verify: "Queue empty" };
    expect(parseDescription(composeDescription(parts)!)).toEqual(parts);
  });

  it("accepts any case, any order, synonyms, blank lines and continuation lines", () => {
    expect(parseDescription("\nfix: restarted spooler\nPROBLEM : printer offline\n  since Monday\nRoot cause: hung spooler")).toEqual({
      problem: "printer offline\n  since Monday",
      cause: "hung spooler",
      fix: "restarted spooler",
      verify: null,
    });
    expect(parseDescription("Solution: new cert\nVerification: browser shows padlock")).toEqual({
      ...none,
      fix: "new cert",
      verify: "browser shows padlock",
    });
  });

  it("treats anything else as free text", () => {
    expect(parseDescription("Restarted the spooler")).toBeNull();
    expect(parseDescription("Note first\nProblem: x")).toBeNull();
    expect(parseDescription("Error: disk full")).toBeNull();
    expect(parseDescription("Problem: a\nProblem: b")).toBeNull(); // a label twice is ambiguous
    expect(parseDescription("Problem:\nFix:  ")).toBeNull(); // labels with nothing in them
    expect(parseDescription("")).toBeNull();
  });
});

describe("settleDescription", () => {
  const settle = (row: StoredRecord, given: string[], existing?: StoredRecord) => {
    settleDescription(row, existing, new Set(given));
    return row;
  };

  it("composes the description from the parts on create", () => {
    const row = settle({ problem: "No VPN", fix: "Renewed cert" }, ["problem", "fix"]);
    expect(row).toMatchObject({ description: "Problem: No VPN\nFix: Renewed cert", cause: null, verify: null });
  });

  it("fills the parts from a description in the dense form, in its canonical spelling", () => {
    const row = settle({ description: "problem: No VPN\nsolution: Renewed cert" }, ["description"]);
    expect(row).toMatchObject({ description: "Problem: No VPN\nFix: Renewed cert", problem: "No VPN", fix: "Renewed cert" });
  });

  it("keeps free text as it is, with no parts", () => {
    const row = settle({ description: "Called the ISP." }, ["description"]);
    expect(row).toEqual({ description: "Called the ISP.", problem: null, cause: null, fix: null, verify: null });
  });

  it("accepts parts and description together when they agree, and refuses them when they do not", () => {
    expect(settle({ problem: "A", description: "Problem: A" }, ["problem", "description"])["description"]).toBe("Problem: A");
    expect(() => settle({ problem: "A", description: "Problem: B" }, ["problem", "description"])).toThrow(
      /work_item\.description: disagrees/,
    );
    expect(() => settle({ problem: "A", description: "free text" }, ["problem", "description"])).toThrow(DomainError);
  });

  it("recomposes the description when a part changes on update", () => {
    const existing = {
      problem: "No VPN",
      cause: null,
      fix: "Renewed cert",
      verify: null,
      description: "Problem: No VPN\nFix: Renewed cert",
    };
    const row = settle({ ...existing, verify: "Connected from home" }, ["verify"], existing);
    expect(row["description"]).toBe("Problem: No VPN\nFix: Renewed cert\nVerify: Connected from home");
    // The whole message sent back with one part changed: the old description is not a conflict.
    const resent = settle({ ...existing, cause: "Expired cert" }, ["problem", "cause", "fix", "verify", "description"], existing);
    expect(resent["description"]).toBe("Problem: No VPN\nCause: Expired cert\nFix: Renewed cert");
    // Clearing a part leaves it out.
    expect(settle({ ...existing, fix: null }, ["fix"], existing)["description"]).toBe("Problem: No VPN");
  });

  it("re-reads the parts when the description changes on update", () => {
    const existing = {
      problem: "No VPN",
      cause: null,
      fix: "Renewed cert",
      verify: null,
      description: "Problem: No VPN\nFix: Renewed cert",
    };
    const row = settle({ ...existing, description: "Just notes now" }, ["description"], existing);
    expect(row).toMatchObject({ description: "Just notes now", problem: null, fix: null });
  });

  it("refuses to turn a free-text description into parts by setting one part alone", () => {
    const existing = { ...none, description: "Called the ISP." };
    expect(() => settle({ ...existing, fix: "Reset modem" }, ["fix"], existing)).toThrow(/work_item\.fix: the description is free text/);
    const replaced = settle({ ...existing, fix: "Reset modem", description: null }, ["fix", "description"], existing);
    expect(replaced["description"]).toBe("Fix: Reset modem");
  });

  it("limits the composed text", () => {
    const big = "x".repeat(40_000);
    expect(() => settle({ problem: big, fix: big }, ["problem", "fix"])).toThrow(
      /work_item\.description: must be at most 65535 characters/,
    );
  });
});

import { csvField, csvLine, parseCsv, spreadsheetSafe } from "./csv";

describe("CSV (RFC 4180)", () => {
  it("quotes only what needs it and doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("")).toBe("");
    expect(csvLine(["1", "x,y", ""])).toBe('1,"x,y",\r\n');
  });

  it("reads back what it writes", () => {
    const rows = [
      ["date", "description", "amount"],
      ["2026-01-05", 'Fixed "the" printer, again\r\nand the fax', "30.00"],
      ["2026-01-06", "", "0.00"],
    ];
    expect(parseCsv(rows.map(csvLine).join(""))).toEqual(rows);
  });

  it("keeps spreadsheets from running text as formulas", () => {
    expect(spreadsheetSafe('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(spreadsheetSafe("-2 hours")).toBe("'-2 hours");
    expect(spreadsheetSafe("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(spreadsheetSafe("Replaced toner")).toBe("Replaced toner");
  });
});

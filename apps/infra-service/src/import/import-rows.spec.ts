import { describeFields } from "@msp/resource-kit";
import { AssetSchema } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { NetworkSchema } from "@msp/proto/src/gen/es/msp/infra/v1/network_pb";
import { headerKey, mapColumns } from "./column-map";
import { detectDelimiter, readCsv } from "./csv-table";
import { parentsFirst, rowMessage } from "./import-rows";

describe("mapColumns", () => {
  it("maps headers by name and by the words spreadsheets use, and lists the rest", () => {
    const map = mapColumns("assets", ["Host Name", "Type", "IP", "MAC-Address", "OS Version", "Colour", "hostname"]);
    expect(map.described).toEqual([
      "Host Name -> hostname",
      "Type -> asset_type",
      "IP -> ip_address",
      "MAC-Address -> mac_address",
      "OS Version -> os_version",
    ]);
    expect(map.ignored).toEqual(["Colour", "hostname"]);
    expect(map.missing).toEqual([]);
    expect(mapColumns("networks", ["Name", "Gateway"]).missing).toEqual(["cidr"]);
    expect(headerKey(" VLAN_ID ")).toBe("vlanid");
  });
});

describe("rowMessage", () => {
  const fields = describeFields(AssetSchema);
  it("turns cells into the API message, with enum words, lists, booleans and lookups", () => {
    const cells = new Map([
      ["hostname", "dc01"],
      ["asset_type", "Virtual Machine"],
      ["has_gui", "yes"],
      ["limitations", "no internet; PowerShell 2.0 only"],
      ["site", "HQ"],
      ["os", ""],
    ]);
    const { message, lookups, problems } = rowMessage(fields, cells, "asset");
    expect(problems).toEqual([]);
    expect(message).toEqual({ hostname: "dc01", assetType: 2, hasGui: true, limitations: ["no internet", "PowerShell 2.0 only"] });
    expect([...lookups]).toEqual([["site", "HQ"]]);
    expect(rowMessage(fields, new Map([["asset_type", "vm"]]), "asset").message).toEqual({ assetType: 2 });
  });

  it("names each cell that does not convert", () => {
    const { problems } = rowMessage(
      fields,
      new Map([
        ["asset_type", "toaster"],
        ["has_gui", "maybe"],
      ]),
      "asset",
    );
    expect(problems.map((p) => p.field)).toEqual(["asset.asset_type", "asset.has_gui"]);
    expect(problems[0]!.description).toContain("virtual_machine");
    expect(rowMessage(describeFields(NetworkSchema), new Map([["vlan_id", "ten"]]), "network").problems[0]!.field).toBe("network.vlan_id");
  });
});

describe("parentsFirst", () => {
  it("puts an asset after the one it runs on, else keeps file order, and survives a cycle", () => {
    const rows = [
      { hostname: "vm1", parent: "hv" },
      { hostname: "ct1", parent: "vm1" },
      { hostname: "hv", parent: undefined },
      { hostname: "x", parent: "y" },
      { hostname: "y", parent: "x" },
    ];
    expect(parentsFirst(rows).map((r) => r.hostname)).toEqual(["hv", "vm1", "ct1", "y", "x"]);
  });
});

describe("readCsv", () => {
  it("reads quoted fields, line breaks inside quotes, a BOM, semicolons, and names lines", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).toBe(";");
    const table = readCsv('\uFEFFname;notes\r\n"a";"two\nlines"\r\n\r\nb;"say ""hi"""\r\n');
    expect(table.header).toEqual(["name", "notes"]);
    expect(table.records).toEqual([
      { line: 3, values: ["a", "two\nlines"] },
      { line: 5, values: ["b", 'say "hi"'] },
    ]);
  });

  it("refuses empty, header-only, unparseable and oversized files with a clear reason", () => {
    expect(() => readCsv(" ")).toThrow("csv: is empty");
    expect(() => readCsv("a,b\n")).toThrow("no records");
    expect(() => readCsv('a,b\n"unterminated,1\n')).toThrow("does not parse as CSV");
    expect(() => readCsv(`h\n${"x\n".repeat(10_001)}`)).toThrow("at most 10000");
  });
});

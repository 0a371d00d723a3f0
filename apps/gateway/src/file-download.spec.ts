import { createFileRegistry } from "@bufbuild/protobuf";
import { loadDescriptorSet } from "@msp/proto";
import { contentDisposition, wantsFile } from "./file-download";
import { buildRestRoutes, matchRoute } from "./rest-routes";

const routes = buildRestRoutes(createFileRegistry(loadDescriptorSet()));
const exportPath = "/api/v1/clients/0192f2a0-0000-7000-8000-000000000001:exportBillableTime";

describe("file downloads", () => {
  it("routes the export's .csv path to the same method, as its file form", () => {
    const json = matchRoute(routes, "GET", exportPath).match!;
    const file = matchRoute(routes, "GET", `${exportPath}.csv`).match!;
    expect(file.route.method).toBe(json.route.method);
    expect([json.route.fileOnly, file.route.fileOnly]).toEqual([undefined, true]);
    expect(file.values).toEqual(["0192f2a0-0000-7000-8000-000000000001"]);
    expect(json.route.download).toMatchObject({ mediaType: "text/csv", contentField: "csv", filenameField: "filename" });
  });

  it("answers the file when Accept prefers its media type, JSON otherwise", () => {
    const { route } = matchRoute(routes, "GET", exportPath).match!;
    expect(wantsFile(route, "text/csv")).toBe(true);
    expect(wantsFile(route, "text/csv, application/json")).toBe(true);
    expect(wantsFile(route, "application/json;q=0.9, text/csv")).toBe(true);
    expect(wantsFile(route, "application/json, text/csv;q=0.5")).toBe(false);
    expect(wantsFile(route, "*/*")).toBe(false);
    expect(wantsFile(route, undefined)).toBe(false);
    expect(wantsFile(route, "text/csv;q=0")).toBe(false);
    const other = matchRoute(routes, "GET", "/api/v1/clients/0192f2a0-0000-7000-8000-000000000001").match!.route;
    expect(wantsFile(other, "text/csv")).toBe(false);
  });

  it("names the file safely in Content-Disposition", () => {
    expect(contentDisposition("billable-time-acme-2026-12-01-2027-01-01.csv")).toBe(
      `attachment; filename="billable-time-acme-2026-12-01-2027-01-01.csv"; filename*=UTF-8''billable-time-acme-2026-12-01-2027-01-01.csv`,
    );
    expect(contentDisposition('a"b\\c\r\nd/é.csv')).toBe(`attachment; filename="abcd_.csv"; filename*=UTF-8''abcd%C3%A9.csv`);
    expect(contentDisposition("")).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});

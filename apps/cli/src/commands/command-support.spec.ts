import { normalizeServerUrl } from "./command-support";
import { machineKeyName } from "./setup";

describe("--server", () => {
  it("takes the gateway's address, or the REST, docs or OpenAPI URL npm start prints", () => {
    for (const given of [
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8080/",
      "http://127.0.0.1:8080/api/v1",
      "http://127.0.0.1:8080/api/v1/",
      "http://127.0.0.1:8080/api/docs",
      "http://127.0.0.1:8080/api/openapi.json",
      "127.0.0.1:8080/api",
    ]) {
      expect([given, normalizeServerUrl(given)]).toEqual([given, "http://127.0.0.1:8080"]);
    }
    // A gateway behind a path prefix keeps it.
    expect(normalizeServerUrl("https://tools.example.com/msp/api/v1")).toBe("https://tools.example.com/msp");
    expect(() => normalizeServerUrl("ftp://example.com")).toThrow("--server: use an http or https URL, not ftp:");
  });
});

describe("the machine key's name", () => {
  it("is the machine's --name, else its host name", () => {
    expect(machineKeyName("Mike's laptop", "LAPTOP-3")).toBe("msp hooks on Mike's laptop");
    expect(machineKeyName(undefined, "LAPTOP-3")).toBe("msp hooks on LAPTOP-3");
    expect(machineKeyName("  ", "LAPTOP-3")).toBe("msp hooks on LAPTOP-3");
  });
});

import { writeFileSync } from "node:fs";
import { createPlatformClient } from "../platform/platform-client";
import { fakeGateway } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import {
  clientHostsAreFresh,
  hostCatalogMaxAgeMs,
  hostCatalogPath,
  hostNamesOf,
  readClientHosts,
  refreshClientHosts,
} from "./host-catalog";

describe("hostNamesOf", () => {
  it("gives each name an asset goes by once, lower-case: host name, short name, IP address, aliases", () => {
    expect(
      hostNamesOf([
        { id: "a1", hostname: "DC01.corp.local", ipAddress: "10.0.0.10", aliases: ["AD", "ldap.corp.local"] },
        { id: "a2", hostname: "web01", ipAddress: "10.0.0.20" },
        { id: "a3", hostname: "10.0.0.30" },
        { id: "a4", hostname: "old01", status: "ASSET_STATUS_DECOMMISSIONED" },
        { id: "a5", hostname: "dc01" },
      ]),
    ).toEqual(["dc01.corp.local", "dc01", "10.0.0.10", "ad", "ldap.corp.local", "web01", "10.0.0.20", "10.0.0.30"]);
  });
});

describe("refreshClientHosts", () => {
  it("lists the client's assets page by page and caches their names", async () => {
    const gateway = await fakeGateway((seen) =>
      seen.path === "/api/v1/assets"
        ? seen.query.get("pageToken")
          ? { json: { assets: [{ id: "a2", hostname: "web01" }] } }
          : { json: { assets: [{ id: "a1", hostname: "dc01", ipAddress: "10.0.0.10" }], nextPageToken: "p2" } }
        : undefined,
    );
    try {
      const cache = tempDir("msp-cache-");
      const names = await refreshClientHosts(cache, createPlatformClient(gateway.url, "msp_k"), "c1", 5_000);
      expect(names).toEqual(["dc01", "10.0.0.10", "web01"]);
      expect(gateway.seen.map((seen) => seen.query.get("filter"))).toEqual(['client_id = "c1"', 'client_id = "c1"']);
      const cached = readClientHosts(cache, "c1");
      expect(cached?.names).toEqual(names);
      expect(clientHostsAreFresh(cached!)).toBe(true);
      expect(clientHostsAreFresh(cached!, Date.now() + hostCatalogMaxAgeMs)).toBe(false);
      expect(readClientHosts(cache, "c2")).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });

  it("caches a refusal (a key without infra:read) with the names known before, and throws it for the log", async () => {
    const gateway = await fakeGateway(() => ({
      status: 403,
      json: { code: "permission_denied", message: "API key lacks scope infra:read" },
    }));
    try {
      const cache = tempDir("msp-cache-");
      writeFileSync(
        hostCatalogPath(cache),
        JSON.stringify({ clients: { c1: { fetchedAt: "2020-01-01T00:00:00.000Z", names: ["dc01"] } } }),
      );
      await expect(refreshClientHosts(cache, createPlatformClient(gateway.url, "msp_k"), "c1", 5_000)).rejects.toThrow(/infra:read/);
      const cached = readClientHosts(cache, "c1");
      expect(cached?.names).toEqual(["dc01"]);
      expect(clientHostsAreFresh(cached!)).toBe(true);
    } finally {
      await gateway.close();
    }
  });

  it("changes nothing when the platform is down, and reads a damaged cache as empty", async () => {
    const cache = tempDir("msp-cache-");
    writeFileSync(hostCatalogPath(cache), "{not json");
    expect(readClientHosts(cache, "c1")).toBeUndefined();
    await expect(refreshClientHosts(cache, createPlatformClient("http://127.0.0.1:1", "msp_k"), "c1", 1_000)).rejects.toThrow();
    expect(readClientHosts(cache, "c1")).toBeUndefined();
  });
});

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { folderScope } from "../commands/folder-recall";
import { createPlatformClient } from "../platform/platform-client";
import { fakeGateway } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import { mspPaths } from "./msp-home";
import type { ProjectCatalog } from "./project-catalog";
import { catalogMaxAgeMs, catalogNeedsRefresh, catalogOf, catalogPath, missRefreshAfterMs } from "./project-catalog";

const portal = { id: "p1", clientId: "c1", name: "Patient portal", slug: "acme-portal", repoUrl: "https://github.com/acme/portal" };

function catalogAt(fetchedAt: number, projects = [portal]): ProjectCatalog {
  return catalogOf(projects, [{ id: "c1", name: "Acme" }], new Date(fetchedAt));
}

describe("catalogNeedsRefresh", () => {
  const now = Date.parse("2026-12-05T12:00:00Z");

  it("refreshes a missing or stale catalog, whatever the folder", () => {
    expect(catalogNeedsRefresh(undefined, {}, now)).toBe(true);
    expect(catalogNeedsRefresh(catalogAt(now - catalogMaxAgeMs), { repository: "github.com/acme/portal", projectId: "p1" }, now)).toBe(
      true,
    );
  });

  it("keeps a fresh catalog for a folder it has a project for, or that has no repository to look up", () => {
    const catalog = catalogAt(now - catalogMaxAgeMs + 1_000);
    expect(catalogNeedsRefresh(catalog, { repository: "github.com/acme/portal", projectId: "p1" }, now)).toBe(false);
    expect(catalogNeedsRefresh(catalog, {}, now)).toBe(false);
  });

  it("looks a repository it has no project for up again once the catalog is half a minute old", () => {
    const unknown = { repository: "github.com/acme/intranet" };
    expect(catalogNeedsRefresh(catalogAt(now - missRefreshAfterMs + 1_000), unknown, now)).toBe(false);
    expect(catalogNeedsRefresh(catalogAt(now - missRefreshAfterMs), unknown, now)).toBe(true);
  });
});

describe("folderScope", () => {
  /** A clone of github.com/acme/portal, as git leaves its config. */
  function clone(): string {
    const folder = tempDir("msp-clone-");
    mkdirSync(join(folder, ".git"), { recursive: true });
    writeFileSync(join(folder, ".git", "config"), '[remote "origin"]\n\turl = git@github.com:acme/portal.git\n');
    return folder;
  }

  it("finds a project made after the catalog was fetched (a minute ago), instead of recording the folder under none", async () => {
    const gateway = await fakeGateway((seen) =>
      seen.path === "/api/v1/projects"
        ? { json: { projects: [portal] } }
        : seen.path === "/api/v1/clients"
          ? { json: { clients: [{ id: "c1", name: "Acme" }] } }
          : undefined,
    );
    try {
      const paths = mspPaths(tempDir("msp-home-"));
      mkdirSync(paths.cache, { recursive: true });
      writeFileSync(catalogPath(paths.cache), JSON.stringify(catalogAt(Date.now() - 60_000, [])));
      const scope = await folderScope(paths, createPlatformClient(gateway.url, "msp_k"), clone());
      expect(scope).toMatchObject({ repository: "github.com/acme/portal", projectId: "p1", clientId: "c1", projectName: "Patient portal" });
      expect(gateway.seen.map((seen) => seen.path).sort()).toEqual(["/api/v1/clients", "/api/v1/projects"]);
    } finally {
      await gateway.close();
    }
  });

  it("asks nothing while a fresh catalog has the folder's project", async () => {
    const gateway = await fakeGateway(() => undefined);
    try {
      const paths = mspPaths(tempDir("msp-home-"));
      mkdirSync(paths.cache, { recursive: true });
      writeFileSync(catalogPath(paths.cache), JSON.stringify(catalogAt(Date.now() - 60_000)));
      const scope = await folderScope(paths, createPlatformClient(gateway.url, "msp_k"), clone());
      expect(scope).toMatchObject({ projectId: "p1", clientId: "c1" });
      expect(gateway.seen).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});

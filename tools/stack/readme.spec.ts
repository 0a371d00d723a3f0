// The README's claims that a test can check: the ports it lists are the registry's, every
// `npm run` it names exists, every file it links is in the repository, and no instruction sends
// `npx msp` to the public registry. (The port table under "Processes and ports" is checked with
// the registry in apps/platform-e2e/src/registry.spec.ts; the login and buf curl snippets run
// against a platform in apps/platform-e2e/src/identity.spec.ts.)
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gatewayEntry, platformProcesses, platformServices } from "@msp/registry";

const root = join(__dirname, "..", "..");
const readmes = ["README.md", "apps/cli/README.md", ...["audit", "infra", "services", "vault"].map((d) => `docs/${d}.md`)];
const text = (path: string) => readFileSync(join(root, path), "utf8");
const readme = text("README.md");

describe("the README", () => {
  it("lists every process with the registry's ports, and names no other port of the platform", () => {
    const table = readme.slice(readme.indexOf("What runs, and where"), readme.indexOf("## The two commands"));
    for (const proc of platformProcesses()) {
      const ports = proc.services.map((s) => s.defaultPort);
      const row = new RegExp(`^\\| ${proc.app} \\| ([^|]*) \\|`, "m").exec(table);
      expect([proc.app, row !== null]).toEqual([proc.app, true]);
      const listed = [...row![1]!.matchAll(/\d{4,5}/g)].map((m) => Number(m[0])).sort();
      expect([proc.app, listed]).toEqual([proc.app, [...ports, ...(proc.gateway ? [gatewayEntry.defaultPort] : [])].sort()]);
    }
    // Any 5005x the text names (":50052", "127.0.0.1:50051", "on 50050") is a registered port.
    const registered = new Set<number>(platformServices.map((s) => s.defaultPort));
    for (const path of readmes) {
      for (const match of text(path).matchAll(/\b(500\d\d)\b/g))
        expect([path, match[1], registered.has(Number(match[1]))]).toEqual([path, match[1], true]);
    }
  });

  it("names only npm scripts that exist (the root's, or with -w a workspace's)", () => {
    const scriptsOf = (dir: string) => Object.keys((JSON.parse(text(join(dir, "package.json"))) as { scripts?: object }).scripts ?? {});
    const workspaces: Record<string, string> = { "@msp/cli": "apps/cli" };
    for (const path of readmes) {
      for (const match of text(path)
        .replace(/\s+/g, " ")
        .matchAll(/npm run ([\w:-]+)(?: -w ([@\w/-]+))?/g)) {
        const scripts = scriptsOf(match[2] ? (workspaces[match[2]] ?? match[2]) : ".");
        expect([path, match[0], scripts.includes(match[1]!)]).toEqual([path, match[0], true]);
      }
    }
  });

  it("links only files that are in the repository, and none of the specs kept outside it", () => {
    for (const path of readmes) {
      const body = text(path);
      for (const match of body.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = match[1]!;
        if (/^https?:/.test(target)) continue;
        expect([path, target, existsSync(join(root, dirname(path), target))]).toEqual([path, target, true]);
      }
      expect([path, /ARCHITECTURE\.md|DOMAIN\.md/.test(body)]).toEqual([path, false]);
    }
  });

  it("never tells anyone to run `npx msp` (outside the clone npx fetches another package)", () => {
    for (const path of readmes) {
      const body = text(path).replace(/\s+/g, " ");
      for (const match of body.matchAll(/npx msp\b/g)) {
        const before = body.slice(Math.max(0, match.index - 12), match.index);
        expect([path, before]).toEqual([path, expect.stringMatching(/\b(not|never) `?$/)]);
      }
    }
  });

  it("says how to recover a lost admin password, and the command is the one package.json runs", () => {
    expect(readme).toContain("npm run admin:reset-password");
    expect((JSON.parse(text("package.json")) as { scripts: Record<string, string> }).scripts["admin:reset-password"]).toBe(
      "tsx tools/stack/reset-password.ts",
    );
  });
});

import { readFileSync, statSync, writeFileSync, existsSync, mkdirSync, chmodSync } from "node:fs";
import { tempDir } from "../test-support/temp-dirs";
import { join } from "node:path";
import { installClaudeHooks, uninstallClaudeHooks, wantedHooks } from "./setup-hooks";
import { settingsBackupPath } from "../settings/settings-file";

const wanted = wantedHooks(`"/usr/bin/node" "/opt/msp/bin/msp.js"`);

function settingsFile(content?: string): string {
  const dir = tempDir("msp-settings-");
  mkdirSync(join(dir, ".claude"));
  const path = join(dir, ".claude", "settings.json");
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

const userJson = JSON.stringify(
  { model: "opus", hooks: { Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] } },
  null,
  4,
);

describe("installClaudeHooks / uninstallClaudeHooks on a real file", () => {
  it("backs the original up once, writes valid JSON, and uninstall gives back an equal document", () => {
    const path = settingsFile(userJson);
    chmodSync(path, 0o640);
    const first = installClaudeHooks(path, wanted);
    expect(first).toMatchObject({ changed: true, hooks: 6, backup: settingsBackupPath(path) });
    expect(readFileSync(settingsBackupPath(path), "utf8")).toBe(userJson);
    const installed = JSON.parse(readFileSync(path, "utf8"));
    expect(installed.model).toBe("opus");
    expect(statSync(path).mode & 0o777).toBe(0o640);

    // A second setup changes nothing and keeps the first backup.
    const second = installClaudeHooks(path, wanted);
    expect(second).toMatchObject({ changed: false, hooks: 6 });
    expect(second.backup).toBeUndefined();
    writeFileSync(path, JSON.stringify({ ...installed, theme: "dark" })); // the user changes something meanwhile
    installClaudeHooks(path, wanted);
    expect(readFileSync(settingsBackupPath(path), "utf8")).toBe(userJson);

    const removed = uninstallClaudeHooks(path);
    expect(removed).toMatchObject({ removedHooks: 6, removedFile: false });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ ...JSON.parse(userJson), theme: "dark" });
  });

  it("keeps the user's layout: their indentation while installed, their exact text back after uninstall", () => {
    const tabbed = '{\r\n\t"model": "opus",\r\n\t"permissions": {\r\n\t\t"allow": []\r\n\t}\r\n}';
    const path = settingsFile(tabbed);
    installClaudeHooks(path, wanted);
    const installed = readFileSync(path, "utf8");
    expect(installed).toMatch(/^\{\r\n\t"model": "opus",\r\n/);
    expect(installed).not.toMatch(/\r\n {2}"/);
    expect(installed.endsWith("}")).toBe(true); // no last newline, as the user had it
    uninstallClaudeHooks(path);
    expect(readFileSync(path, "utf8")).toBe(tabbed);

    // Changed meanwhile by the user (one line): uninstall keeps their change and their layout.
    installClaudeHooks(path, wanted);
    writeFileSync(path, `${JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), theme: "dark" })}\n`);
    uninstallClaudeHooks(path);
    expect(readFileSync(path, "utf8")).toBe(`${JSON.stringify({ ...JSON.parse(tabbed), theme: "dark" })}\n`);
  });

  it("creates settings.json when there is none, and uninstall removes it again", () => {
    const path = settingsFile();
    expect(installClaudeHooks(path, wanted).backup).toBeUndefined();
    expect(JSON.parse(readFileSync(path, "utf8")).hooks.SessionStart).toHaveLength(1);
    expect(uninstallClaudeHooks(path)).toMatchObject({ removedHooks: 6, removedFile: true });
    expect(existsSync(path)).toBe(false);
  });

  it("refuses invalid JSON and leaves the file untouched", () => {
    const broken = '{ "model": "opus", }';
    const path = settingsFile(broken);
    expect(() => installClaudeHooks(path, wanted)).toThrow(/not valid JSON/);
    expect(readFileSync(path, "utf8")).toBe(broken);
    expect(existsSync(settingsBackupPath(path))).toBe(false);
  });

  it("uninstall without msp hooks does not rewrite the file", () => {
    const path = settingsFile(userJson);
    expect(uninstallClaudeHooks(path)).toMatchObject({ removedHooks: 0 });
    expect(readFileSync(path, "utf8")).toBe(userJson);
  });
});

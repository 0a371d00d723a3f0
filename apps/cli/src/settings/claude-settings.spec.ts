import { installHooks, countMspHooks, SettingsShapeError, uninstallHooks } from "./claude-settings";
import type { Settings } from "./claude-settings";
import { isMspHookCommand } from "./hook-entries";
import { wantedHooks } from "../commands/setup-hooks";

const base = `"/usr/bin/node" "/opt/msp/bin/msp.js"`;

/** A matcher group as the tests read it back. */
interface Group {
  matcher?: string;
  hooks: Array<{ type: string; command: string; timeout?: number; async?: boolean }>;
}
const wanted = wantedHooks(base);

/** A user's settings with hooks of their own on two of the events msp uses, and other settings. */
function userSettings(): Settings {
  return {
    model: "opus",
    permissions: { allow: ["Bash(git status)"], deny: [] },
    env: { FOO: "bar" },
    hooks: {
      PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "prettier --write $FILE", timeout: 30 }] }],
      Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }],
      Notification: [{ hooks: [{ type: "command", command: "say hi" }] }],
    },
    statusLine: { type: "command", command: "echo hi" },
  };
}

describe("installHooks", () => {
  it("adds one entry per event and keeps every setting and hook of the user's where it was", () => {
    const before = userSettings();
    const after = installHooks(before, wanted);
    expect(countMspHooks(after)).toBe(6);
    expect(after["model"]).toBe("opus");
    expect(after["permissions"]).toEqual(before["permissions"]);
    expect(after["statusLine"]).toEqual(before["statusLine"]);
    const hooks = after["hooks"] as Record<string, Group[]>;
    expect(hooks["Notification"]).toEqual([{ hooks: [{ type: "command", command: "say hi" }] }]);
    expect(hooks["PostToolUse"]![0]).toEqual({
      matcher: "Write",
      hooks: [{ type: "command", command: "prettier --write $FILE", timeout: 30 }],
    });
    expect(hooks["PostToolUse"]![1]).toEqual({
      matcher: "Bash|PowerShell|Edit|MultiEdit|Write|NotebookEdit",
      hooks: [{ type: "command", command: `${base} hook post-tool-use`, timeout: 10, async: true }],
    });
    expect(hooks["Stop"]![0]!.hooks[0]!.command).toBe("notify-send done");
    expect(hooks["Stop"]![1]!.hooks[0]).toEqual({ type: "command", command: `${base} hook stop`, timeout: 5, async: true });
    expect(hooks["SessionStart"]).toEqual([{ hooks: [{ type: "command", command: `${base} hook session-start`, timeout: 10 }] }]);
    expect(Object.keys(after)).toEqual(Object.keys(before)); // key order kept: hooks stays where it was
  });

  it("does not change the input object", () => {
    const before = userSettings();
    const copy = structuredClone(before);
    installHooks(before, wanted);
    expect(before).toEqual(copy);
  });

  it("is idempotent: a second install changes nothing", () => {
    const once = installHooks(userSettings(), wanted);
    expect(installHooks(once, wanted)).toEqual(once);
  });

  it("updates its entry in place when the command changes (a new install path) and drops duplicates", () => {
    const old = installHooks(userSettings(), wantedHooks(`"/old/node" "/old/msp.js"`));
    const stop = (old["hooks"] as Record<string, Group[]>)["Stop"]!;
    stop.push({ hooks: [{ type: "command", command: `"/old/node" "/old/msp.js" hook stop` }] }); // a duplicate
    const next = installHooks(old, wanted);
    expect(countMspHooks(next)).toBe(6);
    const nextStop = (next["hooks"] as Record<string, Group[]>)["Stop"]!;
    expect(nextStop).toHaveLength(2);
    expect(nextStop[1]!.hooks[0]!.command).toBe(`${base} hook stop`);
  });

  it("creates the hooks object in an empty file", () => {
    const after = installHooks({}, wanted);
    expect(Object.keys(after["hooks"] as object)).toEqual([
      "SessionStart",
      "UserPromptSubmit",
      "PostToolUse",
      "PreCompact",
      "Stop",
      "SessionEnd",
    ]);
  });

  it("refuses shapes it would have to guess about", () => {
    expect(() => installHooks({ hooks: [] }, wanted)).toThrow(SettingsShapeError);
    expect(() => installHooks({ hooks: { Stop: {} } }, wanted)).toThrow('"hooks.Stop" in settings.json must be an array');
    expect(() => installHooks({ hooks: { Stop: ["x"] } }, wanted)).toThrow(SettingsShapeError);
  });
});

describe("uninstallHooks", () => {
  it("gives back exactly the user's settings after an install", () => {
    const before = userSettings();
    expect(uninstallHooks(installHooks(before, wanted), before)).toEqual(before);
  });

  it("removes the hooks object it created when there was none", () => {
    const before = { model: "sonnet" };
    expect(uninstallHooks(installHooks(before, wanted), before)).toEqual(before);
    expect(uninstallHooks(installHooks({}, wanted))).toEqual({});
  });

  it("keeps containers the user had even when empty", () => {
    const before: Settings = { hooks: { Stop: [] } };
    expect(uninstallHooks(installHooks(before, wanted), before)).toEqual(before);
    const emptyHooks: Settings = { hooks: {} };
    expect(uninstallHooks(installHooks(emptyHooks, wanted), emptyHooks)).toEqual(emptyHooks);
  });

  it("removes only msp's own commands, also from a group it shares with the user's", () => {
    const mixed: Settings = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: "command", command: "notify-send done" },
              { type: "command", command: `${base} hook stop` },
              { type: "command", command: "msp-backup hook stop" },
            ],
          },
        ],
      },
    };
    expect(uninstallHooks(mixed)).toEqual({
      hooks: {
        Stop: [
          {
            hooks: [
              { type: "command", command: "notify-send done" },
              { type: "command", command: "msp-backup hook stop" },
            ],
          },
        ],
      },
    });
  });

  it("leaves settings without msp hooks alone", () => {
    const before = userSettings();
    expect(uninstallHooks(before, before)).toEqual(before);
  });
});

describe("isMspHookCommand", () => {
  it.each([
    [`"/usr/bin/node" "/opt/msp/bin/msp.js" hook stop`, true],
    [`msp hook session-start`, true],
    [`/usr/local/bin/msp hook SessionStart --home "/x"`, true],
    [`"C:\\\\nodejs\\\\node.exe" "C:\\\\msp\\\\bin\\\\msp.js" hook stop`, true],
    [`msp-backup hook stop`, false],
    [`echo msp`, false],
    [`mymsp hook stop`, false],
    [42, false],
  ])("%s -> %s", (command, ours) => expect(isMspHookCommand(command)).toBe(ours));
});

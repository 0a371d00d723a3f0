import { commandSnippetWorthy } from "./session-plan";

describe("commandSnippetWorthy", () => {
  it("keeps a command that printed a value as a snippet, but not a look-around that did", () => {
    expect(commandSnippetWorthy({ command: "adb shell id", count: 1, ok: true, note: "uid=2000(shell) gid=2000(shell)" })).toBe(true);
    expect(commandSnippetWorthy({ command: "echo $ANDROID_HOME", count: 1, ok: true, note: "/home/me/android-sdk" })).toBe(false);
    expect(commandSnippetWorthy({ command: "ls /missing", count: 1, ok: false, note: "No such file or directory" })).toBe(true);
  });
});

import { collectCommands } from "./commands";
import { bashSession } from "./tool-session.testing";

const noteOf = (groups: ReturnType<typeof collectCommands>, command: string) => groups.find((group) => group.command === command)?.note;

describe("collectCommands", () => {
  it("keeps what a command printed as its note: a long line cut, the telling line of several", () => {
    const groups = collectCommands(
      bashSession("root the emulator", [
        { command: "adb shell id", output: `uid=2000(shell) gid=2000(shell) groups=${"1004(input),".repeat(20)}` },
        { command: "./rootAVD.sh sdk36", output: "rootAVD A Script\n\nUsage: rootAVD [DIR/ramdisk.img] [OPTIONS]\nArguments:" },
      ]),
    );
    expect(noteOf(groups, "adb shell id")).toMatch(/^uid=2000\(shell\) gid=2000\(shell\)/);
    expect(noteOf(groups, "./rootAVD.sh sdk36")).toBe("Usage: rootAVD [DIR/ramdisk.img] [OPTIONS]");
  });

  it("keeps a look-around that printed one value, never a file's contents, and drops one that printed a listing", () => {
    const groups = collectCommands(
      bashSession("find the sdk", [
        { command: "echo $ANDROID_HOME", output: "/home/me/android-sdk" },
        { command: "cat .env.example", output: "PORT=8080" },
        { command: "ls -la", output: "total 8\ndrwxr-xr-x 2 u u 4096 Jun 6 15:31 ." },
      ]),
    );
    expect(noteOf(groups, "echo $ANDROID_HOME")).toBe("/home/me/android-sdk");
    expect(groups.map((group) => group.command)).toEqual(["echo $ANDROID_HOME"]);
  });

  it("redacts the note", () => {
    const groups = collectCommands(
      bashSession("check the key", [{ command: "./show-config.sh", output: "api_key=sk-live-123 loaded" }], (text) =>
        text.replace("sk-live-123", "[REDACTED]"),
      ),
    );
    expect(noteOf(groups, "./show-config.sh")).toBe("api_key=[REDACTED] loaded");
  });

  it("gives a command started in the background what its output file later showed, and drops the read itself", () => {
    const groups = collectCommands(
      bashSession("install the image", [
        {
          command: "yes | sdkmanager 'system-images;android-36'",
          output: "Command running in background with ID: b1x2. Output is being written to: /tmp/claude-1000/p/s/tasks/b1x2.output",
        },
        {
          command: "sleep 90 && tail -5 /tmp/claude-1000/p/s/tasks/b1x2.output",
          output: "# see the crash log\n/bin/bash: line 1: 23316 Broken pipe yes\n 23317 Aborted (core dumped) | sdkmanager",
        },
      ]),
    );
    expect(groups.map((group) => [group.command, group.note])).toEqual([
      ["yes | sdkmanager 'system-images;android-36'", "started in background; output: 23317 Aborted (core dumped) | sdkmanager"],
    ]);
  });

  it("keeps the values a background job's log reported, each label once", () => {
    const started = "Command running in background with ID: e5f6. Output is being written to: /tmp/claude-1000/p/s/tasks/e5f6.output";
    const log =
      "[*] Set Directorys\n[-] Device SDK API: 33\n[-] First API Level: 30\n[-] Usage: patch 2 images\n[!] wget: server returned error: HTTP/1.1 404 Not Found";
    const groups = collectCommands(
      bashSession("root the AVD", [
        { command: "./rootAVD.sh system-images/android-36/ramdisk.img", output: started },
        { command: "sleep 5 && cat /tmp/claude-1000/p/s/tasks/e5f6.output", output: log },
        { command: "sleep 5 && cat /tmp/claude-1000/p/s/tasks/e5f6.output", output: `${log}\n[-] Device SDK API: 33` },
      ]),
    );
    expect(groups.map((group) => group.note)).toEqual([
      "started in background; output: [!] wget: server returned error: HTTP/1.1 404 Not Found; reported Device SDK API: 33, First API Level: 30",
    ]);
  });

  it("gives a background job that is still running the steps its progress display reached, over every read", () => {
    const started = "Command running in background with ID: c3d4. Output is being written to: /tmp/claude-1000/p/s/tasks/c3d4.output";
    const groups = collectCommands(
      bashSession("install the image", [
        { command: "yes | sdkmanager 'system-images;android-36'", output: started },
        {
          command: "sleep 30 && tail -c 300 /tmp/claude-1000/p/s/tasks/c3d4.output",
          output: "ates...\r[==   ] 10% Downloading x86_64-36_r07.zip...\r[===  ] 29% Downloading x86_64-36_r07.zip...",
        },
        {
          command: "sleep 60 && tail -c 300 /tmp/claude-1000/p/s/tasks/c3d4.output",
          output: "tem.img\r[==== ] 52% Unzipping... x86_64/system.img\r[=====] 55% Unzipping... x86_64/system.img",
        },
      ]),
    );
    expect(groups.map((group) => group.note)).toEqual([
      "started in background; output: Downloading x86_64-36_r07.zip... 29%; Unzipping... x86_64/system.img 55%",
    ]);
  });
});

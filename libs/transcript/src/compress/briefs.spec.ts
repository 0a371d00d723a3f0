import { collectBriefs } from "./briefs";
import { userRemarkAfterLog } from "./goals";
import { bashSession } from "./tool-session.testing";

describe("collectBriefs", () => {
  it("keeps the lines of a brief-like prompt after its first, markers and label-only lines removed, redacted", () => {
    const prompt = [
      "Test if the image system-images;android-36-ext18;google_apis;x86_64 supports adb root.",
      "",
      "Steps:",
      "1. Install: yes | sdkmanager 'system-images;android-36-ext18;google_apis;x86_64'",
      "2. Start emulator: emulator -avd test_root_2 -no-window -no-audio &",
      "3. Wait for boot: poll sys.boot_completed=1",
      "```",
      "adb shell getprop ro.debuggable",
      "```",
      "Important: use the token s3cr3t for the registry.",
    ].join("\n");
    const items = collectBriefs(bashSession(prompt, [], (text) => text.replace("s3cr3t", "[REDACTED:token]")));
    expect(items.map((item) => item.text)).toEqual([
      "Install: yes | sdkmanager 'system-images;android-36-ext18;google_apis;x86_64'",
      "Start emulator: emulator -avd test_root_2 -no-window -no-audio &",
      "Wait for boot: poll sys.boot_completed=1",
      "Important: use the token [REDACTED:token] for the registry.",
    ]);
    expect(items.every((item) => item.order === 0)).toBe(true);
  });

  it("leaves out a short prompt, a pasted error log and a pasted file", () => {
    const compose = [
      "Why does this not start?",
      "services:",
      "  web:",
      "    image: nginx:1.27-alpine",
      "    container_name: web-frontend",
      "    environment: NGINX_PORT=8080",
      "    restart: unless-stopped",
    ].join("\n");
    expect(collectBriefs(bashSession(compose, []))).toEqual([]);
    expect(collectBriefs(bashSession("Fix the relay.\nIt bounces mail since Monday.", []))).toEqual([]);
    const log = ["[ERROR] build.sh:12: DNS resolution failed", "[ERROR] build.sh:13: apt failed", "[INFO] retrying", "[INFO] done"].join(
      "\n",
    );
    expect(collectBriefs(bashSession(log, []))).toEqual([]);
  });
});

describe("userRemarkAfterLog", () => {
  it("is the user's own line after a pasted log, none when the paste ends with the log", () => {
    const log = "[ERROR][2025-08-25 16:01:52][build.sh:1482] DNS resolution completely failed";
    expect(userRemarkAfterLog(`${log}\n this is the problem we had before i installed network manager`)).toBe(
      "this is the problem we had before i installed network manager",
    );
    expect(userRemarkAfterLog(`${log}\n[ERROR][2025-08-25 16:01:53][build.sh:1490] apt failed`)).toBeUndefined();
    expect(userRemarkAfterLog(log)).toBeUndefined();
  });
});

import { errorLine, looksLikeErrorLog, reportsFailure } from "./error-line";

describe("error lines", () => {
  it("prefers the specific line over trace ids and hints", () => {
    const push = [
      "remote: error: Trace: 987cfc62ea4764a0c13a9546560c1d75f0d77b08276a54d0d5fb034e9242ece8",
      "remote: error: See https://gh.io/lfs for more information.",
      "remote: error: File zfs.ko is 103.31 MB; this exceeds GitHub's file size limit of 100.00 MB",
      "error: failed to push some refs",
    ].join("\n");
    expect(errorLine(push)).toContain("exceeds GitHub's file size limit");
  });

  it("takes the exception line of a Python traceback", () => {
    const traceback =
      "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    import aiohttp\nModuleNotFoundError: No module named 'aiohttp'";
    expect(errorLine(traceback)).toBe("ModuleNotFoundError: No module named 'aiohttp'");
  });

  it("ignores progress meters, status tags and ANSI codes", () => {
    const curl =
      "  % Total    % Received % Xferd  Average Speed\n  Dload  Upload   Total   Spent\n  0     0    0     0\ncurl: (7) Failed to connect to localhost port 8000";
    expect(errorLine(curl)).toBe("curl: (7) Failed to connect to localhost port 8000");
    expect(errorLine("<status>failed</status>\n<exit_code>127</exit_code>\n\u001b[31m./x.sh: No such file or directory\u001b[0m")).toBe(
      "./x.sh: No such file or directory",
    );
  });

  it("sees failures reported with exit status 0, but not harmless warnings", () => {
    expect(reportsFailure("adbd cannot run as root in production builds")).toBe(true);
    expect(reportsFailure("PID: 1\n[1]+  Exit 1   emulator -avd x\nINFO | starting")).toBe(true);
    expect(
      reportsFailure(
        "dpkg-preconfigure: unable to re-open stdin: No such file or directory\nSetting up apache2-utils ...\nProcessing triggers",
      ),
    ).toBe(false);
    expect(reportsFailure("all good")).toBe(false);
  });

  it("recognises pasted error logs", () => {
    expect(looksLikeErrorLog("[INFO] starting\n/opt/m.sh: line 23: syntax error near unexpected token `fi'")).toBe(true);
    expect(looksLikeErrorLog("please fix the error handling in the login form")).toBe(false);
  });
});

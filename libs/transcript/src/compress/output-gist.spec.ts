import { maxGistChars, outputGist } from "./output-gist";

describe("outputGist", () => {
  it("keeps an only line, cut to its longest form", () => {
    expect(outputGist("AVD 'test_root_2' deleted.\n")).toBe("AVD 'test_root_2' deleted.");
    const id = `uid=2000(shell) gid=2000(shell) groups=${"1004(input),".repeat(20)}`;
    const gist = outputGist(id) ?? "";
    expect(gist.startsWith("uid=2000(shell) gid=2000(shell)")).toBe(true);
    expect(gist.length).toBeLessThanOrEqual(maxGistChars);
  });

  it("picks the error line, else the most telling line, of a longer output", () => {
    expect(outputGist("Loading...\nremote: error: File zfs.ko is 103 MB; this exceeds the file size limit of 100 MB\ndone")).toContain(
      "exceeds",
    );
    expect(
      outputGist("\u001b[1mrootAVD A Script to root AVD\u001b[m\n\nUsage: rootAVD [DIR/ramdisk.img] [OPTIONS]\nor: rootAVD [ARGUMENTS]"),
    ).toBe("Usage: rootAVD [DIR/ramdisk.img] [OPTIONS]");
    expect(outputGist("Installed packages:\nemulator | 36.4.10 | Android Emulator\nplatform-tools | 37.0.0 | Platform-Tools")).toBe(
      "emulator | 36.4.10 | Android Emulator",
    );
  });

  it("finds nothing in a listing, a progress bar or no output", () => {
    expect(outputGist("total 8\ndrwxr-xr-x 2 u u 4096 Jun 6 15:31 .\n-rw-r--r-- 1 u u 6443 Jun 6 15:31 README.md")).toBeUndefined();
    expect(outputGist("[=========            ] 25% Fetch remote repository...")).toBeUndefined();
    expect(outputGist("(Bash completed with no output)")).toBeUndefined();
    expect(outputGist("")).toBeUndefined();
  });
});

describe("outputGist of structured output", () => {
  it("skips JSON fragments but keeps bracketed log lines", () => {
    expect(outputGist('{\n  "avatar_url": "https://avatars.example.com/u/1?v=4",\n  "id": 42\n}')).toBeUndefined();
    expect(outputGist("[*] Set Directorys\n[ERROR] DNS resolution completely failed")).toBe("[ERROR] DNS resolution completely failed");
  });
});

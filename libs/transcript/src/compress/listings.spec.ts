import { collectListings, listedNames } from "./listings";
import { bashSession } from "./tool-session.testing";

describe("listedNames", () => {
  it("takes a long listing's names, without . and .., else its lines", () => {
    const long = [
      "total 8",
      "drwxr-xr-x 1 me me 0 Oct  1 17:16 .",
      "drwxr-xr-x 1 me me 0 Oct  1 17:16 ..",
      "drwxr-xr-x 1 me me 0 Oct  1 17:14 C--Users-me-Documents-GitHub-shop",
      "-rw-r--r-- 1 me me 9 Oct  1 17:14 notes.txt",
    ].join("\n");
    expect(listedNames(long)).toEqual(["C--Users-me-Documents-GitHub-shop", "notes.txt"]);
    expect(listedNames("/home/me/.config/.android/avd/a.avd\n/home/me/.config/.android/avd/b.avd\n")).toEqual([
      "/home/me/.config/.android/avd/a.avd",
      "/home/me/.config/.android/avd/b.avd",
    ]);
  });
});

describe("collectListings", () => {
  it("lists what a look-around printed, not a file's body, a failure or a long dump", () => {
    const context = bashSession("Where are the AVDs?", [
      { command: "find ~ -name '*.avd'", output: "/home/me/.config/.android/avd/a.avd\n/home/me/.config/.android/avd/b.avd" },
      { command: "cat /etc/hosts", output: "127.0.0.1 localhost\n10.0.0.5 db" },
      { command: "cat /etc/hosts | head -2", output: "127.0.0.1 localhost\n10.0.0.5 db" },
      { command: "find /srv -name '*.conf' | head -5", output: "/srv/a.conf\n/srv/b.conf" },
      { command: "ls /nowhere", output: "ls: cannot access '/nowhere'\nsecond line", isError: true },
      { command: "ls /usr/bin", output: Array.from({ length: 50 }, (_, i) => `tool${i}`).join("\n") },
      { command: "apt-get install -y nginx", output: "Setting up nginx\nDone" },
    ]);
    expect(collectListings(context)).toEqual([
      "`find ~ -name '*.avd'` listed: /home/me/.config/.android/avd/a.avd, /home/me/.config/.android/avd/b.avd",
      "`find /srv -name '*.conf'` listed: /srv/a.conf, /srv/b.conf",
    ]);
  });
});

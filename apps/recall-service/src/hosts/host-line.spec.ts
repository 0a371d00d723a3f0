import { failuresOfHost, hostLine, maxHostLineChars } from "./host-line";
import { makeFailure, makeHost } from "./testing";

describe("hostLine", () => {
  it("says what to know before touching the host, in one line", () => {
    const line = hostLine(
      makeHost({
        recentChanges: [
          {
            changeType: "dns",
            targetSystem: "zone corp.local",
            afterState: "A record intranet -> 10.0.0.20",
            at: new Date("2026-12-01T09:00:00Z"),
          },
        ],
      }),
      [makeFailure()],
    );
    expect(line).toBe(
      "- [host dc01 10.0.0.10] Windows Server 2016, domain controller; shell powershell 5.1; pkg choco; " +
        "limits: no internet, PowerShell 2.0 only; known failures: PSGallery unreachable (no internet) -> fix: copy the module from the file share; " +
        "services: AD DS (running), DNS (running); changed 2026-12-01 dns zone corp.local: A record intranet -> 10.0.0.20",
    );
    expect(line.length).toBeLessThanOrEqual(maxHostLineChars);
  });

  it("leaves out what is not recorded, and says a status that is not active and the alias the text used", () => {
    const line = hostLine(
      makeHost({
        hostname: "fs01.corp.local",
        ipAddress: "",
        os: "Debian",
        osVersion: "",
        role: "",
        status: "maintenance",
        shellType: "",
        packageManager: "",
        hasGui: false,
        limitations: [],
        services: [],
        matchedBy: "alias",
        matchedText: "files",
      }),
      [],
    );
    expect(line).toBe("- [host fs01.corp.local aka files] Debian, status maintenance; no GUI");
  });

  it("keeps within the limit: services and changes give way before limitations and failures", () => {
    const line = hostLine(
      makeHost({
        limitations: ["no internet", "PowerShell 2.0 only", "reboots only on Sundays after 22:00"],
        services: Array.from({ length: 12 }, (_, i) => ({ name: `Service number ${i}`, status: "running" })),
        recentChanges: Array.from({ length: 3 }, (_, i) => ({
          changeType: "service_config",
          targetSystem: `service ${i}`,
          afterState: "x".repeat(200),
          at: new Date("2026-11-30T00:00:00Z"),
        })),
      }),
      [makeFailure(), makeFailure({ description: "", errorPattern: "WinRM: access denied", recommendedSolution: "", occurrenceCount: 9 })],
    );
    expect(line.length).toBeLessThanOrEqual(maxHostLineChars);
    expect(line).toContain("limits: no internet, PowerShell 2.0 only, reboots only on Sundays after 22:00");
    expect(line).toContain("known failures: WinRM: access denied | PSGallery unreachable (no internet) -> fix: copy the module");
    expect(line).toContain("shell powershell 5.1");
    expect(line).not.toContain("changed");
  });

  it("cuts long free text and keeps each value on one line", () => {
    const line = hostLine(makeHost({ os: "Windows\nServer", limitations: ["a".repeat(500)], services: [] }), [], 200);
    expect(line.length).toBeLessThanOrEqual(200);
    expect(line).not.toContain("\n");
    expect(line.startsWith("- [host dc01 10.0.0.10] Windows Server 2016")).toBe(true);
  });
});

describe("failuresOfHost", () => {
  it("takes the failures learned on the asset, or on its name or alias when no asset was known", () => {
    const host = makeHost({ aliases: ["ad1"] });
    const byAsset = makeFailure({ host: "something-else" });
    const byName = makeFailure({ infrastructureId: null, host: "dc01" });
    const byAlias = makeFailure({ infrastructureId: null, host: "ad1" });
    const otherAsset = makeFailure({ infrastructureId: "01900000-0000-7000-8000-0000000000d2", host: "dc01" });
    const otherName = makeFailure({ infrastructureId: null, host: "web01" });
    expect(failuresOfHost(host, [byAsset, byName, byAlias, otherAsset, otherName])).toEqual([byAsset, byName, byAlias]);
  });
});

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { tempDir } from "../test-support/temp-dirs";
import { join } from "node:path";
import { fingerprintOf, machineProfile, toolsOnPath } from "./machine-profile";

describe("fingerprintOf", () => {
  const parts = { machineId: "4c4c4544-0042-3510-8052-b4c04f564433", hostname: "LAPTOP-3", username: "mike" };

  it("is stable: the same machine, host and user give the same fingerprint", () => {
    expect(fingerprintOf(parts)).toBe(fingerprintOf({ ...parts }));
    expect(fingerprintOf(parts)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf({ ...parts, hostname: "laptop-3" })).toBe(fingerprintOf(parts)); // host names are case-insensitive
  });

  it("differs for another machine id, host or user", () => {
    const one = fingerprintOf(parts);
    expect(fingerprintOf({ ...parts, machineId: "other" })).not.toBe(one);
    expect(fingerprintOf({ ...parts, hostname: "DESKTOP-1" })).not.toBe(one);
    expect(fingerprintOf({ ...parts, username: "anna" })).not.toBe(one);
  });
});

describe("machineProfile", () => {
  it("takes MSP_MACHINE_FINGERPRINT over the computed one, and is stable between runs without it", () => {
    expect(machineProfile({ ...process.env, MSP_MACHINE_FINGERPRINT: "machine-a" }).fingerprint).toBe("machine-a");
    const env = { ...process.env };
    delete env["MSP_MACHINE_FINGERPRINT"];
    expect(machineProfile(env).fingerprint).toBe(machineProfile(env).fingerprint);
    expect(machineProfile(env).fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds executable tools on PATH only", () => {
    const bin = tempDir("msp-bin-");
    for (const tool of ["git", "docker"]) {
      writeFileSync(join(bin, tool), "#!/bin/sh\n");
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(bin, "ssh"), "not executable");
    mkdirSync(join(bin, "kubectl")); // a folder is not a tool
    const tools = toolsOnPath({ PATH: bin }, "linux");
    expect(tools).toEqual(["git", "docker"]);
  });
});

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { hostname, homedir, platform, release, userInfo } from "node:os";
import { basename, delimiter, join } from "node:path";

/** What setup tells the work service about this computer (msp.work.v1.Machine fields). */
export interface MachineProfile {
  hostname: string;
  fingerprint: string;
  platform: "PLATFORM_LINUX" | "PLATFORM_DARWIN" | "PLATFORM_WIN32" | undefined;
  machineType?: "MACHINE_TYPE_LAPTOP" | "MACHINE_TYPE_VM";
  osVersion: string;
  username: string;
  homeDirectory: string;
  preferredShell?: string;
  installedTools: string[];
  capabilities: { hasDocker: boolean; hasGit: boolean; hasSsh: boolean; hasPowershell: boolean; powershellVersion?: string };
}

/**
 * A stable fingerprint: the same on every run on this machine and account, different on another
 * machine. sha256 of the OS's machine id, the host name and the user name; MSP_MACHINE_FINGERPRINT
 * overrides it (tests, cloned VMs that share a machine id).
 */
export function fingerprintOf(parts: { machineId: string; hostname: string; username: string }): string {
  return createHash("sha256").update(`msp-machine\n${parts.machineId}\n${parts.hostname.toLowerCase()}\n${parts.username}`).digest("hex");
}

/** The OS's own id of this machine (/etc/machine-id, IOPlatformUUID, MachineGuid), or "" when none can be read. */
export function osMachineId(os: NodeJS.Platform = platform()): string {
  if (os === "linux" || os === "freebsd" || os === "openbsd") {
    for (const path of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
      try {
        const id = readFileSync(path, "utf8").trim();
        if (id) return id;
      } catch {
        // try the next one
      }
    }
    return "";
  }
  if (os === "darwin") {
    const out = run("ioreg", ["-rd1", "-c", "IOPlatformExpertDevice"]);
    return /"IOPlatformUUID"\s*=\s*"([^"]+)"/.exec(out)?.[1] ?? "";
  }
  if (os === "win32") {
    const out = run("reg", ["query", "HKLM\\SOFTWARE\\Microsoft\\Cryptography", "/v", "MachineGuid"]);
    return /MachineGuid\s+REG_SZ\s+(\S+)/.exec(out)?.[1] ?? "";
  }
  return "";
}

/** The tools setup looks for on PATH; hooks and recall can tell Claude what the machine has. */
export const knownTools = [
  "git",
  "docker",
  "ssh",
  "pwsh",
  "powershell",
  "kubectl",
  "az",
  "aws",
  "terraform",
  "ansible",
  "python3",
  "node",
] as const;

/** Tools found on PATH (PATHEXT on Windows). */
export function toolsOnPath(env: NodeJS.ProcessEnv = process.env, os: NodeJS.Platform = platform()): string[] {
  const dirs = (env["PATH"] ?? env["Path"] ?? "").split(delimiter).filter(Boolean);
  const extensions = os === "win32" ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";") : [""];
  return knownTools.filter((tool) =>
    dirs.some((dir) =>
      extensions.some((ext) => {
        const path = join(dir, `${tool}${ext}`);
        try {
          if (!statSync(path).isFile()) return false;
          accessSync(path, os === "win32" ? constants.F_OK : constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    ),
  );
}

/** Everything about this machine setup registers. */
export function machineProfile(env: NodeJS.ProcessEnv = process.env): MachineProfile {
  const os = platform();
  const host = hostname();
  const username = safeUsername();
  const tools = toolsOnPath(env, os);
  const hasPowershell = tools.includes("pwsh") || tools.includes("powershell");
  const powershellVersion = hasPowershell
    ? run(tools.includes("pwsh") ? "pwsh" : "powershell", ["-NoProfile", "-Command", "$PSVersionTable.PSVersion.ToString()"]).trim()
    : "";
  const shell = env["SHELL"] ? basename(env["SHELL"]) : os === "win32" ? (hasPowershell ? "pwsh" : "cmd") : undefined;
  const machineType = detectMachineType(os);
  return {
    hostname: host,
    fingerprint: env["MSP_MACHINE_FINGERPRINT"] || fingerprintOf({ machineId: osMachineId(os), hostname: host, username }),
    platform: os === "linux" ? "PLATFORM_LINUX" : os === "darwin" ? "PLATFORM_DARWIN" : os === "win32" ? "PLATFORM_WIN32" : undefined,
    ...(machineType ? { machineType } : {}),
    osVersion: release(),
    username,
    homeDirectory: env["HOME"] || homedir(),
    ...(shell ? { preferredShell: shell } : {}),
    installedTools: tools,
    capabilities: {
      hasDocker: tools.includes("docker"),
      hasGit: tools.includes("git"),
      hasSsh: tools.includes("ssh"),
      hasPowershell,
      ...(powershellVersion && /^\d+(\.\d+)*$/.test(powershellVersion) ? { powershellVersion } : {}),
    },
  };
}

/** A laptop has a battery; a VM says so in its DMI product name (Linux only; elsewhere unknown). */
function detectMachineType(os: NodeJS.Platform): MachineProfile["machineType"] {
  if (os !== "linux") return undefined;
  try {
    const product = readFileSync("/sys/class/dmi/id/product_name", "utf8");
    if (/virtual|vmware|kvm|qemu|hvm|bochs|xen/i.test(product)) return "MACHINE_TYPE_VM";
  } catch {
    // no DMI data (containers)
  }
  try {
    if (existsSync("/sys/class/power_supply") && readdirSync("/sys/class/power_supply").some((name) => name.startsWith("BAT")))
      return "MACHINE_TYPE_LAPTOP";
  } catch {
    // unknown
  }
  return undefined;
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env["USER"] ?? process.env["USERNAME"] ?? "";
  }
}

function run(command: string, args: string[]): string {
  try {
    const result = spawnSync(command, args, { encoding: "utf8", timeout: 5_000, windowsHide: true });
    return result.status === 0 ? result.stdout : "";
  } catch {
    return "";
  }
}

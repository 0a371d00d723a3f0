import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { normalizeRemoteUrl } from "./git-remote";

/** The git repository around a folder, read from .git without running git (a hook has no time for a process). */
export interface GitRepository {
  /** The working tree's top folder. */
  root: string;
  /** The URL of `origin`, else of the first remote; undefined without remotes. */
  remoteUrl?: string;
  /** The remote normalized to `host/path` (see normalizeRemoteUrl). */
  repository?: string;
}

/** Finds the repository containing `cwd` (worktrees and submodules included); undefined outside one. */
export function findGitRepository(cwd: string): GitRepository | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const gitDir = gitDirAt(dir);
    if (gitDir) {
      const remoteUrl = remoteUrlOf(configPathOf(gitDir));
      const repository = remoteUrl ? normalizeRemoteUrl(remoteUrl) : undefined;
      return { root: dir, ...(remoteUrl ? { remoteUrl } : {}), ...(repository ? { repository } : {}) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The git directory of a working tree at `dir`: `.git` itself, or where a `.git` file points (worktrees). */
function gitDirAt(dir: string): string | undefined {
  const dotGit = join(dir, ".git");
  try {
    const stat = statSync(dotGit);
    if (stat.isDirectory()) return dotGit;
    if (stat.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
      if (pointer) return isAbsolute(pointer[1]!.trim()) ? pointer[1]!.trim() : resolve(dir, pointer[1]!.trim());
    }
  } catch {
    // no .git here
  }
  return undefined;
}

/** A linked worktree keeps its config in the main repository (named by `commondir`). */
function configPathOf(gitDir: string): string {
  try {
    const common = readFileSync(join(gitDir, "commondir"), "utf8").trim();
    return join(isAbsolute(common) ? common : resolve(gitDir, common), "config");
  } catch {
    return join(gitDir, "config");
  }
}

/** The url of [remote "origin"], else of the first remote section, in a git config file. */
export function remoteUrlOf(configPath: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch {
    return undefined;
  }
  return remoteUrlInConfig(text);
}

/** The same, from the config text (git's INI dialect: sections, `key = value`, # and ; comments). */
export function remoteUrlInConfig(text: string): string | undefined {
  const urls = new Map<string, string>();
  let remote: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      remote = section[1]!.toLowerCase() === "remote" && section[2] !== undefined ? section[2] : undefined;
      continue;
    }
    if (remote === undefined || urls.has(remote)) continue;
    const entry = /^url\s*=\s*(.*)$/i.exec(line);
    if (entry) urls.set(remote, unquote(entry[1]!));
  }
  return urls.get("origin") ?? urls.values().next().value;
}

function unquote(value: string): string {
  const withoutComment = value.replace(/\s+[#;].*$/, "").trim();
  return withoutComment.startsWith('"') && withoutComment.endsWith('"') ? withoutComment.slice(1, -1) : withoutComment;
}

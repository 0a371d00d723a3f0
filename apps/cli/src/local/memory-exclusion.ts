import { resolve } from "node:path";
import type { WorkScope } from "../spool/spool-event";
import type { CliConfig } from "./cli-config";
import { readLinks } from "./folder-links";
import type { MspPaths } from "./msp-home";
import type { ProjectCatalog } from "./project-catalog";
import { readCatalog } from "./project-catalog";
import { loadSessionState } from "./session-state";
import { resolveWorkScope } from "./work-scope";

// Folders and projects a technician keeps out of memory (`memory.exclude` in ~/.msp/config.json):
// a session there sends nothing (no recall injected, no transcript ingested, no commands or file
// changes recorded) and its hooks still succeed. A small glob matcher, written here because the
// CLI has no glob library among its dependencies; its whole syntax:
//
//   ~ at the start        the user's home folder           ~/clients/secret-*
//   *                     any characters but /             secret-*
//   **                    any characters, / included       **/scratch/**
//   ?                     one character but /              build-?
//   [abc] [a-z] [!abc]    one of (or none of) these        v[0-9]
//   {a,b}                 either alternative               {scratch,tmp}
//   \x                    x itself
//
// A pattern with a / is matched against the session's folder (absolute; `scratch/**` is read as
// `**/scratch/**`) and against the repository (`github.com/acme/app`); a folder inside a matching
// folder is excluded too. A pattern without / is matched against each folder name on the path,
// and against the project's name and slug (without regard to case), like a .gitignore entry.

/** What a session is matched against. */
export interface ExclusionSubject {
  folder: string;
  repository?: string;
  projectName?: string;
  projectSlug?: string;
}

/** The user's home folder, for `~`; node:os loads only when a pattern is matched (hook processes start without it). */
function homedir(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("node:os") as typeof import("node:os")).homedir();
}

/** The regular expression of one glob; `**` crosses folders, the rest stays within one. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === "*") {
      if (glob.charAt(i + 1) === "*") {
        i++;
        // `**/` matches no folder as well as any number of them.
        if (glob.charAt(i + 1) === "/") {
          i++;
          source += "(?:.*/)?";
        } else source += ".*";
      } else source += "[^/]*";
    } else if (char === "?") source += "[^/]";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = glob.slice(i + 1, end);
        const negated = body.startsWith("!") || body.startsWith("^");
        source += `[${negated ? "^" : ""}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&")}]`;
        i = end;
      }
    } else if (char === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) source += "\\{";
      else {
        const alternatives = glob.slice(i + 1, end).split(",");
        source += `(?:${alternatives.map((alternative) => globToRegExp(alternative).source.slice(1, -1)).join("|")})`;
        i = end;
      }
    } else if (char === "\\" && i + 1 < glob.length) {
      i++;
      source += escapeRegExp(glob.charAt(i));
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A path with / separators and no trailing one (C:\Users\me becomes C:/Users/me). */
function slashed(path: string): string {
  const forward = path.replace(/\\/g, "/");
  return forward.length > 1 ? forward.replace(/\/+$/, "") : forward;
}

/** The folder and each folder above it, deepest first. */
function foldersUp(folder: string): string[] {
  const folders: string[] = [];
  let current = slashed(folder);
  while (current !== "" && !folders.includes(current)) {
    folders.push(current);
    const cut = current.lastIndexOf("/");
    if (cut <= 0) {
      if (cut === 0 && current !== "/") folders.push("/");
      break;
    }
    current = current.slice(0, cut);
    if (/^[A-Za-z]:$/.test(current)) current += "/";
  }
  return folders;
}

/** Whether one pattern excludes the subject. */
export function globExcludes(pattern: string, subject: ExclusionSubject, home = homedir()): boolean {
  const trimmed = pattern.trim();
  if (trimmed === "") return false;
  const ignoreCase = process.platform === "win32" || process.platform === "darwin";
  if (!trimmed.includes("/") && !trimmed.includes("\\")) {
    const name = globToRegExp(trimmed, ignoreCase);
    const names = slashed(resolve(subject.folder))
      .split("/")
      .filter((part) => part !== "");
    if (names.some((part) => name.test(part))) return true;
    const project = globToRegExp(trimmed, true);
    return [subject.projectName, subject.projectSlug].some((value) => value !== undefined && value !== "" && project.test(value));
  }
  let glob = slashed(trimmed);
  if (glob === "~" || glob.startsWith("~/")) glob = slashed(home) + glob.slice(1);
  const anchored = glob.startsWith("/") || /^[A-Za-z]:\//.test(glob) || glob.startsWith("**");
  const folderGlob = anchored ? glob : `**/${glob}`;
  // `dir/**` also names `dir` itself.
  const folderPatterns = [globToRegExp(folderGlob, ignoreCase)];
  if (folderGlob.endsWith("/**")) folderPatterns.push(globToRegExp(folderGlob.slice(0, -3), ignoreCase));
  const folders = foldersUp(resolve(subject.folder));
  if (folders.some((folder) => folderPatterns.some((regex) => regex.test(folder)))) return true;
  return subject.repository !== undefined && globToRegExp(trimmed, true).test(subject.repository);
}

/** The `memory.exclude` pattern that keeps the subject out of memory, if any. */
export function memoryExclusion(config: Pick<CliConfig, "memory">, subject: ExclusionSubject, home = homedir()): string | undefined {
  return config.memory?.exclude?.find((pattern) => globExcludes(pattern, subject, home));
}

/** The subject of a work scope: its folder, repository, and the project's name and slug. */
export function subjectOf(scope: WorkScope, catalog: ProjectCatalog | undefined): ExclusionSubject {
  const slug = scope.projectId ? catalog?.projects.find((project) => project.id === scope.projectId)?.slug : undefined;
  return {
    folder: scope.cwd,
    ...(scope.repository ? { repository: scope.repository } : {}),
    ...(scope.projectName ? { projectName: scope.projectName } : {}),
    ...(slug ? { projectSlug: slug } : {}),
  };
}

/**
 * The pattern that keeps a hook's session out of memory: its folder now (`cwd`), or the folder
 * SessionStart resolved for it, with their repository and project. Costs nothing (no file read)
 * when no exclusion is configured.
 */
export function hookExclusion(config: CliConfig, paths: MspPaths, cwd: string, claudeSessionId: string): string | undefined {
  if (!config.memory?.exclude?.length) return undefined;
  const catalog = readCatalog(paths.cache);
  const stored = loadSessionState(paths.sessions, claudeSessionId).scope;
  const scopes = [stored, stored?.cwd === cwd ? undefined : resolveWorkScope(cwd, readLinks(paths.links), catalog)];
  for (const scope of scopes) {
    const pattern = scope ? memoryExclusion(config, subjectOf(scope, catalog)) : undefined;
    if (pattern !== undefined) return pattern;
  }
  return undefined;
}

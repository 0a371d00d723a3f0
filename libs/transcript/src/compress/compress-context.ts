// What every extractor needs: the timeline, the caller's redactor and the session's directory.
import type { Timeline } from "./timeline";

export interface CompressContext {
  timeline: Timeline;
  /** the caller's redactor; every text taken from the transcript goes through it first */
  redact: (text: string) => string;
  cwd?: string;
  /** where the work happened when it was not the session directory (cd targets, file paths) */
  workDir?: string;
}

/** The directories paths are shown relative to, longest first. */
function bases(context: Pick<CompressContext, "cwd" | "workDir">): string[] {
  return [context.workDir, context.cwd].filter((dir): dir is string => !!dir && dir !== "/").sort((a, b) => b.length - a.length);
}

/** A path as shown in the summary: relative to the work or session directory when inside it. */
export function showPath(path: string, context: Pick<CompressContext, "cwd" | "workDir">): string {
  for (const base of bases(context)) if (path.startsWith(`${base}/`)) return path.slice(base.length + 1);
  return path;
}

/** Text with absolute paths inside the work or session directory made relative. */
export function relativize(text: string, context: Pick<CompressContext, "cwd" | "workDir">): string {
  let result = text;
  for (const base of bases(context)) result = result.split(`cd ${base} && `).join("").split(`${base}/`).join("");
  return result;
}

/** The directory most file operations and `cd` commands point at, when it is not the cwd. */
export function findWorkDir(paths: readonly string[], cdTargets: readonly string[], cwd: string | undefined): string | undefined {
  const counts = new Map<string, number>();
  const add = (dir: string) => counts.set(dir, (counts.get(dir) ?? 0) + 1);
  for (const path of paths) add(path.replace(/\/[^/]+$/, ""));
  for (const dir of cdTargets) add(dir.replace(/\/+$/, ""));
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (
    !best ||
    best[1] < 3 ||
    best[0] === cwd ||
    best[0] === "" ||
    (cwd && best[0].startsWith(`${cwd}/`)) ||
    /^\/(tmp|var\/tmp)(\/|$)/.test(best[0])
  )
    return undefined;
  return best[0];
}

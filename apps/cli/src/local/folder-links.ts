import { relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "./atomic-file";
import { readJsonFile } from "./json-file";

/** A folder the user tied to a project with `msp link`. */
export interface FolderLink {
  projectId: string;
  clientId?: string;
  projectName?: string;
  linkedAt: string;
}

export type FolderLinks = Record<string, FolderLink>;

export function readLinks(path: string): FolderLinks {
  return readJsonFile<FolderLinks>(path, {});
}

export function writeLinks(path: string, links: FolderLinks): void {
  writeFileAtomic(path, `${JSON.stringify(links, null, 2)}\n`);
}

/** The link of the deepest linked folder containing `folder`, with that folder. */
export function linkFor(links: FolderLinks, folder: string): { folder: string; link: FolderLink } | undefined {
  const target = resolve(folder);
  let best: { folder: string; link: FolderLink } | undefined;
  for (const [linked, link] of Object.entries(links)) {
    const rel = relative(linked, target);
    const inside = rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel));
    if (inside && (!best || linked.length > best.folder.length)) best = { folder: linked, link };
  }
  return best;
}

/** Only the start of a long query (a pasted log) is looked through for host names. */
export const maxHostTextChars = 4_096;

/** What a recall knows that may name a host: its query, and where the caller works. */
export interface HostTextSource {
  /** The prompt's known names and error fragments (UserPromptSubmit), or what `msp recall` was asked. */
  query: string;
  cwd?: string | undefined;
  /** The normalized git remote, such as github.com/acme/dc01-scripts. */
  repository?: string | undefined;
  /** The host the caller says it works on. */
  host?: string | undefined;
}

/**
 * The texts MatchHosts looks through for a recall. With a query (a prompt, `msp recall dc01`)
 * only the query: a targeted recall is about what was asked, and SessionStart already covered
 * the folder. Without one (SessionStart), the folder: its path below the home folder (the user's
 * own name is no host) and the repository without its forge (github.com is no client's host).
 * The scope's host, when given, is always looked for.
 */
export function hostMatchTexts(source: HostTextSource): string[] {
  const texts: string[] = [];
  const add = (text: string | undefined) => {
    const trimmed = text?.trim() ?? "";
    if (trimmed !== "" && !texts.includes(trimmed)) texts.push(trimmed.slice(0, maxHostTextChars));
  };
  if (source.query.trim() !== "") add(source.query);
  else {
    add(folderBelowHome(source.cwd ?? ""));
    add(repositoryPath(source.repository ?? ""));
  }
  add(source.host);
  return texts;
}

/** `/home/ana/clients/acme/dc01` -> `clients/acme/dc01`; Windows and macOS homes as well. */
export function folderBelowHome(cwd: string): string {
  const path = cwd.trim().replace(/\\/g, "/");
  const home = /^(?:[a-z]:)?\/(?:home|users)\/[^/]+(?:\/|$)|^\/root(?:\/|$)|^\/var\/home\/[^/]+(?:\/|$)/i.exec(path);
  return (home ? path.slice(home[0].length) : path).replace(/^\/+|\/+$/g, "");
}

/** `github.com/acme/dc01-scripts` -> `acme/dc01-scripts`. */
function repositoryPath(repository: string): string {
  const slash = repository.indexOf("/");
  return slash === -1 ? repository : repository.slice(slash + 1);
}

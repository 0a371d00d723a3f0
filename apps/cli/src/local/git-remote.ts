/**
 * A git remote URL reduced to `host/path`, the same for every way of writing one remote, so two
 * clones of a repository on two machines find the same project and the same memory:
 * https://github.com/Acme/App.git, git@github.com:acme/app and ssh://git@github.com:22/acme/app/
 * are all `github.com/acme/app`. Credentials in the URL are dropped. Undefined for nothing usable.
 */
export function normalizeRemoteUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === "") return undefined;
  const parts = splitRemote(trimmed);
  if (!parts) return undefined;
  let host = parts.host.toLowerCase().replace(/^www\./, "");
  let path = parts.path
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/")
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
  if (host === "ssh.github.com") host = "github.com";
  // Azure DevOps writes one repository three ways.
  if (host === "ssh.dev.azure.com" && path.startsWith("v3/")) {
    host = "dev.azure.com";
    path = path.slice(3);
  }
  const visualStudio = /^([^.]+)\.visualstudio\.com$/.exec(host);
  if (visualStudio) {
    host = "dev.azure.com";
    path = `${visualStudio[1]}/${path}`;
  }
  if (host === "dev.azure.com") path = path.replace("/_git/", "/");
  if (path === "") return undefined;
  return host === "" ? `/${path}` : `${host}/${path}`;
}

/** Host (empty for a local path) and path of a remote written as a URL, scp-style, or a path. */
function splitRemote(url: string): { host: string; path: string } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  if (scheme) {
    const protocol = scheme[1]!.toLowerCase();
    const rest = scheme[2]!;
    if (protocol === "file") return { host: "", path: rest.replace(/^[^/]*/, "") };
    const slash = rest.indexOf("/");
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? "" : rest.slice(slash);
    const host = authority
      .replace(/^.*@/, "") // user:password@
      .replace(/:\d*$/, ""); // :port
    return host ? { host, path } : undefined;
  }
  // user@host:path (scp-like), but not a Windows drive (C:\...) or a local path.
  const scp = /^(?:[^@/\\]+@)?([^:/\\]+):(?!\\|\/\/)(.+)$/.exec(url);
  if (scp && scp[1]!.length > 1) return { host: scp[1]!, path: scp[2]! };
  if (url.startsWith("/") || /^[a-z]:[\\/]/i.test(url) || url.startsWith(".")) return { host: "", path: url.replace(/^[a-z]:/i, "") };
  return undefined;
}

/**
 * The remote URL to show or store (a project's repo_url): credentials removed, so a token in
 * `https://user:token@host/...` never leaves the machine.
 */
export function displayRemoteUrl(url: string): string {
  return url.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, (_, scheme: string) => scheme);
}

/**
 * A git remote in the one form memory is keyed by: host and path, no scheme, user, password,
 * port, trailing slash or ".git", host lower-case. `git@github.com:Acme/App.git`,
 * `https://user:token@github.com/Acme/App` and `github.com/Acme/App/` all become
 * "github.com/Acme/App". Text that is not a remote (a local path) is returned trimmed, without a
 * trailing slash.
 */
export function normalizeRepository(remote: string): string {
  let text = remote.trim();
  if (text === "") return "";
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  if (scheme) {
    // scheme://[user[:password]@]host[:port]/path: the credentials are never part of the name.
    text = text.slice(scheme[0].length).replace(/^[^/]*@/, "");
  } else {
    // scp-like: [user@]host:path
    const scp = /^(?:[^@/\s]+@)?([^/:\s]+):(?!\d+\/)([^@]+)$/.exec(text);
    if (scp) text = `${scp[1]}/${scp[2]}`;
    else text = text.replace(/^[^@/\s]+@/, "");
  }
  text = text.replace(/^([^/:]+):\d+\//, "$1/");
  text = text.replace(/\/+$/, "").replace(/\.git$/i, "");
  const slash = text.indexOf("/");
  if (slash > 0 && !text.startsWith(".")) text = text.slice(0, slash).toLowerCase() + text.slice(slash);
  return text;
}

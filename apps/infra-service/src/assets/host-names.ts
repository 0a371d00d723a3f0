/** How a text named a host, most specific first. */
export type MatchedBy = "hostname" | "ip_address" | "alias" | "short_name";

const rank: Record<MatchedBy, number> = { hostname: 0, ip_address: 1, alias: 2, short_name: 3 };

export interface HostKeys {
  id: string;
  hostname: string;
  ipAddress: string | null;
  aliases: readonly string[];
}

export interface HostMatch {
  id: string;
  matchedBy: MatchedBy;
  matchedText: string;
}

/** Texts longer than this are read up to it: a prompt or a path, never a file. */
export const maxTextLength = 65_536;

/**
 * The words of a text that could name a host: runs of letters, digits, dots, hyphens, underscores
 * and colons (IPv6), lower-cased, with trailing dots and colons cut ("dc01." at a sentence's end).
 */
export function candidateWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text
    .slice(0, maxTextLength)
    .toLowerCase()
    .matchAll(/[a-z0-9][a-z0-9._:-]*/g)) {
    const word = match[0].replace(/[.:-]+$/, "");
    if (word.length >= 2) words.add(word);
    // "dc01:/var/log" or "10.0.0.10:8080": the part before a port or a path.
    const head = word.split(/:(?=\d+$)|:(?=[^:]*$)/)[0];
    if (head && head !== word && head.length >= 2 && !word.includes("::")) words.add(head);
  }
  return words;
}

/**
 * The hosts a text names, each once by its most specific key: the full hostname, the IP address,
 * an alias, or the hostname's first label (dc01 for dc01.corp.example.com, at least 3 characters).
 * Ordered most specific first, then by the length of the matched word, then by hostname.
 */
export function matchHosts(texts: readonly string[], hosts: readonly HostKeys[], limit: number): HostMatch[] {
  const words = new Set<string>();
  for (const text of texts) for (const word of candidateWords(text)) words.add(word);
  const found: (HostMatch & { hostname: string })[] = [];
  for (const host of hosts) {
    const keys: [MatchedBy, string][] = [["hostname", host.hostname]];
    if (host.ipAddress) keys.push(["ip_address", host.ipAddress.toLowerCase()]);
    for (const alias of host.aliases) keys.push(["alias", alias.toLowerCase()]);
    const short = host.hostname.split(".")[0] ?? "";
    if (short !== host.hostname && short.length >= 3) keys.push(["short_name", short]);
    const hit = keys.find(([, key]) => words.has(key));
    if (hit) found.push({ id: host.id, matchedBy: hit[0], matchedText: hit[1], hostname: host.hostname });
  }
  return found
    .sort(
      (a, b) =>
        rank[a.matchedBy] - rank[b.matchedBy] || b.matchedText.length - a.matchedText.length || a.hostname.localeCompare(b.hostname),
    )
    .slice(0, limit)
    .map(({ id, matchedBy, matchedText }) => ({ id, matchedBy, matchedText }));
}

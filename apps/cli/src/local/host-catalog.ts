import { join } from "node:path";
import { ApiError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import { allPages } from "../platform/platform-client";
import type { Asset } from "../platform/platform-types";
import { writeFileAtomic } from "./atomic-file";
import { readJsonFile } from "./json-file";

/**
 * The names each client's hosts go by (host names, their short names, IP addresses, aliases),
 * cached on disk by SessionStart so UserPromptSubmit knows, without a round trip, when a prompt
 * names a host of the folder's client. Only names: the facts come with the recall.
 */
export interface HostCatalog {
  clients: Record<string, ClientHosts>;
}

export interface ClientHosts {
  fetchedAt: string;
  names: string[];
}

/** A client's host names are listed again when older than this. */
export const hostCatalogMaxAgeMs = 10 * 60_000;
/** Entries of clients not worked for in this long are dropped when the file is written. */
const keepDays = 30;
/** At most this many pages of 500 assets per client. */
const maxAssetPages = 4;

export function hostCatalogPath(cacheDir: string): string {
  return join(cacheDir, "hosts.json");
}

/** The cached host names of a client, or undefined when never listed (or the cache is damaged). */
export function readClientHosts(cacheDir: string, clientId: string): ClientHosts | undefined {
  const entry = readCatalog(cacheDir).clients[clientId];
  if (!entry || typeof entry.fetchedAt !== "string" || !Array.isArray(entry.names)) return undefined;
  return { fetchedAt: entry.fetchedAt, names: entry.names.filter((name): name is string => typeof name === "string") };
}

export function clientHostsAreFresh(entry: ClientHosts, now = Date.now()): boolean {
  return now - Date.parse(entry.fetchedAt) < hostCatalogMaxAgeMs;
}

/**
 * Lists the client's assets and caches their names. A refusal that will not change soon (the
 * machine key lacks infra:read, no infra service behind the gateway) is cached too, keeping the
 * names known before, so hooks do not ask again until the entry is stale; it is still thrown for
 * the caller to log. Other failures (a timeout, the platform down) change nothing.
 */
export async function refreshClientHosts(
  cacheDir: string,
  platform: PlatformClient,
  clientId: string,
  timeoutMs: number,
): Promise<string[]> {
  let assets: Asset[];
  try {
    assets = await allPages<Asset>((token) => platform.listClientAssets(clientId, token, timeoutMs), maxAssetPages);
  } catch (error) {
    if (error instanceof ApiError && [401, 403, 404, 501].includes(error.status)) {
      storeClientHosts(cacheDir, clientId, readClientHosts(cacheDir, clientId)?.names ?? []);
    }
    throw error;
  }
  const names = hostNamesOf(assets);
  storeClientHosts(cacheDir, clientId, names);
  return names;
}

/**
 * The names assets go by, lower-case, each once: the host name, its short name (dc01 for
 * dc01.corp.local), the IP address and the aliases. Decommissioned assets are left out (the
 * infra service never matches them).
 */
export function hostNamesOf(assets: readonly Asset[]): string[] {
  const names = new Set<string>();
  const add = (name: string | undefined) => {
    const clean = name?.trim().toLowerCase() ?? "";
    if (clean !== "") names.add(clean);
  };
  for (const asset of assets) {
    if (asset.status === "ASSET_STATUS_DECOMMISSIONED" || asset.status === "decommissioned") continue;
    add(asset.hostname);
    const hostname = asset.hostname?.trim() ?? "";
    if (hostname.includes(".") && !/^\d+(?:\.\d+){3}$/.test(hostname)) add(hostname.split(".")[0]);
    add(asset.ipAddress);
    for (const alias of asset.aliases ?? []) add(alias);
  }
  return [...names];
}

function readCatalog(cacheDir: string): HostCatalog {
  const catalog = readJsonFile<Partial<HostCatalog>>(hostCatalogPath(cacheDir), {});
  const clients = catalog.clients;
  return { clients: clients !== null && typeof clients === "object" && !Array.isArray(clients) ? clients : {} };
}

function storeClientHosts(cacheDir: string, clientId: string, names: readonly string[], now = new Date()): void {
  const catalog = readCatalog(cacheDir);
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const clients: Record<string, ClientHosts> = {};
  for (const [id, entry] of Object.entries(catalog.clients)) {
    if (id !== clientId && entry && typeof entry.fetchedAt === "string" && Date.parse(entry.fetchedAt) >= cutoff) clients[id] = entry;
  }
  clients[clientId] = { fetchedAt: now.toISOString(), names: [...names] };
  writeFileAtomic(hostCatalogPath(cacheDir), JSON.stringify({ clients }));
}

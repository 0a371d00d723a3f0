/** What an import file holds. */
export type ImportKindName = "assets" | "networks" | "services";

/** A header reduced to letters and digits, lower case: "Host Name", "host_name" and "HOSTNAME" are one. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The fields of each kind, each with the header keys that mean it. `site` (by name), `parent_host`
 * and `host` (by hostname) are looked up and become ids.
 */
const fieldsByKind: Record<ImportKindName, Record<string, readonly string[]>> = {
  assets: {
    hostname: ["hostname", "host", "name", "computername", "devicename", "server", "servername", "fqdn"],
    asset_type: ["assettype", "type", "devicetype", "kind", "category"],
    ip_address: ["ipaddress", "ip", "ipv4", "ipv6", "address", "primaryip"],
    mac_address: ["macaddress", "mac"],
    os: ["os", "operatingsystem"],
    os_version: ["osversion", "version"],
    role: ["role", "function", "purpose"],
    status: ["status", "state"],
    shell_type: ["shelltype", "shell"],
    package_manager: ["packagemanager", "packages"],
    has_gui: ["hasgui", "gui", "desktop"],
    limitations: ["limitations", "limits"],
    aliases: ["aliases", "alias", "othernames", "dnsaliases"],
    environmental_notes: ["environmentalnotes", "environment"],
    notes: ["notes", "note", "comments", "comment", "description"],
    site: ["site", "sitename", "location"],
    parent_host: ["parenthost", "parent", "hypervisor", "runson", "hostedon"],
  },
  networks: {
    name: ["name", "networkname", "network", "label"],
    cidr: ["cidr", "subnet", "prefix", "range", "iprange"],
    network_type: ["networktype", "type", "kind"],
    gateway_ip: ["gatewayip", "gateway", "gw", "defaultgateway"],
    vlan_id: ["vlanid", "vlan", "vlantag"],
    overlap_allowed: ["overlapallowed"],
    notes: ["notes", "note", "comments", "comment", "description"],
    site: ["site", "sitename", "location"],
  },
  services: {
    name: ["name", "service", "servicename"],
    host: ["host", "hostname", "server", "asset", "runson", "device"],
    service_type: ["servicetype", "type", "kind", "category"],
    port: ["port"],
    protocol: ["protocol", "proto"],
    status: ["status", "state"],
    version: ["version"],
    external_url: ["externalurl", "url", "publicurl"],
    internal_url: ["internalurl", "lanurl"],
    notes: ["notes", "note", "comments", "comment", "description"],
  },
};

/** Fields a row of each kind must have a column for. */
export const requiredColumns: Record<ImportKindName, readonly string[]> = {
  assets: ["hostname", "asset_type"],
  networks: ["name", "cidr"],
  services: ["name", "host"],
};

export interface ColumnMap {
  /** Column index -> field. */
  fields: Map<number, string>;
  /** "Host Name -> hostname", per mapped column. */
  described: string[];
  /** Headers that match no field. */
  ignored: string[];
  /** Required fields no column maps to. */
  missing: string[];
}

/**
 * Maps a file's headers to fields of `kind`: an exact field name first, then the aliases; each
 * field takes the first column that names it (a second one is ignored).
 */
export function mapColumns(kind: ImportKindName, header: readonly string[]): ColumnMap {
  const fields = new Map<number, string>();
  const taken = new Set<string>();
  const described: string[] = [];
  const ignored: string[] = [];
  const byKey = new Map<string, string>();
  // Exact field names win over aliases ("version" is a service's own field, an asset's os_version).
  for (const field of Object.keys(fieldsByKind[kind])) byKey.set(headerKey(field), field);
  for (const [field, keys] of Object.entries(fieldsByKind[kind])) for (const key of keys) if (!byKey.has(key)) byKey.set(key, field);
  header.forEach((name, index) => {
    const field = byKey.get(headerKey(name));
    if (field === undefined || taken.has(field)) {
      ignored.push(name);
      return;
    }
    taken.add(field);
    fields.set(index, field);
    described.push(`${name} -> ${field}`);
  });
  return { fields, described, ignored, missing: requiredColumns[kind].filter((f) => !taken.has(f)) };
}

/** Words spreadsheets use for the asset types. */
const assetTypeWords: Record<string, string> = {
  vm: "virtual_machine",
  virtual: "virtual_machine",
  virtualserver: "virtual_machine",
  server: "physical_server",
  physical: "physical_server",
  baremetal: "physical_server",
  switch: "network_device",
  router: "network_device",
  accesspoint: "network_device",
  ap: "network_device",
  storage: "nas",
  san: "nas",
  laptop: "workstation",
  desktop: "workstation",
  pc: "workstation",
  cloud: "cloud_service",
  saas: "cloud_service",
  docker: "container",
  lxc: "container",
};

/** An enum word as the API takes it: "Virtual Machine" -> virtual_machine; known spreadsheet words mapped. */
export function enumWord(field: string, value: string): string {
  const word = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (field === "asset_type") return assetTypeWords[word.replace(/_/g, "")] ?? word;
  return word;
}

/** yes/no, true/false, y/n, 1/0, x/empty. */
export function booleanWord(value: string): boolean | undefined {
  const word = value.trim().toLowerCase();
  if (["yes", "y", "true", "1", "x"].includes(word)) return true;
  if (["no", "n", "false", "0"].includes(word)) return false;
  return undefined;
}

/** A list cell: items separated by semicolons, pipes or line breaks. */
export function listCell(value: string): string[] {
  return value
    .split(/[;|\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

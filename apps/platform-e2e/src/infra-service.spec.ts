// The infrastructure service through the gateway, as a technician's tools use it: records checked
// (networks v4 and v6, addresses, ids of the work service), and the questions asked during an
// outage answered on hand-built cases with known answers. The platform runs as processes.
import { randomUUID } from "node:crypto";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

let platform: PlatformStack;
let admin: string;
let clientId: string;
let otherClientId: string;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  return platform.api(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
}

async function created(path: string, body: unknown): Promise<Json> {
  const { status, json } = await api("POST", path, body);
  if (status !== 200) throw new Error(`POST ${path} failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** The status and message of a request expected to be refused. */
async function refused(path: string, body: unknown): Promise<[number, string]> {
  const { status, json } = await api("POST", path, body);
  return [status, String(json.message)];
}

const asset = (fields: Record<string, unknown>) =>
  created("/api/v1/assets", { clientId, assetType: "ASSET_TYPE_VIRTUAL_MACHINE", hostname: `vm-${randomUUID().slice(0, 8)}`, ...fields });

beforeAll(async () => {
  platform = await startPlatform();
  admin = await platform.login();
  clientId = (await created("/api/v1/clients", { name: `Contoso ${randomUUID()}` })).id;
  otherClientId = (await created("/api/v1/clients", { name: `Fabrikam ${randomUUID()}` })).id;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

describe("networks", () => {
  let siteId: string;
  beforeAll(async () => {
    siteId = (
      await created("/api/v1/sites", { clientId, name: `HQ ${randomUUID()}`, networkSubnet: "10.20.0.0/16", gatewayIp: "10.20.0.1" })
    ).id;
  });
  const network = (fields: Record<string, unknown>) => ({ clientId, siteId, name: `net ${randomUUID().slice(0, 6)}`, ...fields });

  it("stores CIDRs canonically, v4 and v6, edges included, and refuses host bits naming the network", async () => {
    const v6 = await created(
      "/api/v1/networks",
      network({ cidr: "2001:DB8:0:0::/48", gatewayIp: "2001:db8:0:0::1", overlapAllowed: true }),
    );
    expect([v6.cidr, v6.gatewayIp]).toEqual(["2001:db8::/48", "2001:db8::1"]);
    for (const [cidr, stored] of [
      ["0.0.0.0/0", "0.0.0.0/0"],
      ["::/0", "::/0"],
      ["192.0.2.7/32", "192.0.2.7/32"],
      ["2001:db8::7/128", "2001:db8::7/128"],
    ]) {
      expect((await created("/api/v1/networks", network({ siteId: undefined, cidr }))).cidr).toBe(stored);
    }
    expect(await refused("/api/v1/networks", network({ cidr: "10.20.1.5/24" }))).toEqual([
      400,
      "network.cidr: 10.20.1.5/24 has host bits set: the network is 10.20.1.0/24",
    ]);
    expect((await refused("/api/v1/networks", network({ cidr: "2001:db8::1/48" })))[1]).toContain("the network is 2001:db8::/48");
    for (const bad of ["10.20.1.300/24", "10.20.1.0/33", "2001:db8::/129", "10.20.1.0", "fe80::/64%eth0", "banana"]) {
      const [status, message] = await refused("/api/v1/networks", network({ cidr: bad }));
      expect([bad, status, message.startsWith("network.cidr: ")]).toEqual([bad, 400, true]);
    }
  });

  it("keeps the gateway inside the network and VLAN ids from 1 to 4094", async () => {
    expect(await refused("/api/v1/networks", network({ cidr: "10.30.0.0/24", gatewayIp: "10.31.0.1" }))).toEqual([
      400,
      "network.gateway_ip: 10.31.0.1 is outside the network 10.30.0.0/24",
    ]);
    expect((await refused("/api/v1/networks", network({ cidr: "10.30.0.0/24", gatewayIp: "2001:db8::1" })))[1]).toMatch(
      /^network\.gateway_ip: /,
    );
    expect((await refused("/api/v1/networks", network({ cidr: "10.30.0.0/24", gatewayIp: "10.30.0.255" })))[1]).toContain("broadcast");
    for (const vlanId of [0, 4095]) {
      expect(await refused("/api/v1/networks", network({ cidr: "10.31.0.0/24", vlanId }))).toEqual([
        400,
        "network.vlan_id: must be a VLAN id from 1 to 4094",
      ]);
    }
    expect(
      (await created("/api/v1/networks", network({ cidr: "10.31.0.0/24", vlanId: 4094, networkType: "NETWORK_TYPE_VLAN" }))).vlanId,
    ).toBe(4094);
  });

  it("refuses an overlapping network in one site unless allowed, and lists overlaps within and across clients", async () => {
    const lan = await created("/api/v1/networks", network({ cidr: "10.40.0.0/24", gatewayIp: "10.40.0.1" }));
    const [status, message] = await refused("/api/v1/networks", network({ cidr: "10.40.0.128/25" }));
    expect([status, message]).toEqual([
      400,
      `network.cidr: 10.40.0.128/25 overlaps the network ${lan.name} (10.40.0.0/24) of the same site; set overlap_allowed to record it on purpose`,
    ]);
    const pool = await created(
      "/api/v1/networks",
      network({ cidr: "10.40.0.128/25", overlapAllowed: true, networkType: "NETWORK_TYPE_VPN" }),
    );
    // Another client's network with the same range is no refusal: it is another site.
    const theirs = await created("/api/v1/networks", { clientId: otherClientId, name: "their LAN", cidr: "10.40.0.0/16" });

    const mine = await api("GET", `/api/v1/networks:overlaps?clientId=${clientId}`);
    const pairs = mine.json.overlaps.map((o: Json) => [o.first.id, o.second.id, o.shared, o.sameSite]);
    expect(pairs).toContainEqual([lan.id, pool.id, "10.40.0.128/25", true]);
    expect(JSON.stringify(mine.json)).not.toContain(theirs.id);
    const across = await api("GET", `/api/v1/networks:overlaps?clientId=${clientId}&acrossClients=true`);
    const crossing = across.json.overlaps.filter((o: Json) => !o.sameClient).map((o: Json) => [o.first.id, o.second.id, o.shared].sort());
    expect(crossing).toContainEqual([theirs.id, lan.id, "10.40.0.0/24"].sort());
    expect((await api("GET", "/api/v1/networks:overlaps")).status).toBe(400);
  });
});

describe("assets and records checked", () => {
  it("normalizes addresses and names, and refuses bad ones with the field named", async () => {
    const host = await asset({ hostname: "DC01.Corp.Example.com.", ipAddress: "10.0.0.10", macAddress: "AA-BB-CC-00-11-22" });
    expect([host.hostname, host.ipAddress, host.macAddress, host.status]).toEqual([
      "dc01.corp.example.com",
      "10.0.0.10",
      "aa:bb:cc:00:11:22",
      "ASSET_STATUS_ACTIVE",
    ]);
    expect((await asset({ macAddress: "aabb.cc00.1133" })).macAddress).toBe("aa:bb:cc:00:11:33");
    expect((await asset({ ipAddress: "2001:0DB8::0001" })).ipAddress).toBe("2001:db8::1");
    for (const [fields, field] of [
      [{ ipAddress: "10.0.0.256" }, "asset.ip_address"],
      [{ macAddress: "aa:bb:cc:dd:ee" }, "asset.mac_address"],
      [{ hostname: "bad host" }, "asset.hostname"],
      [{ clientId: randomUUID() }, "asset.client_id"],
    ] as const) {
      const [status, message] = await refused("/api/v1/assets", {
        clientId,
        assetType: "ASSET_TYPE_NAS",
        hostname: `nas-${randomUUID().slice(0, 6)}`,
        ...fields,
      });
      expect([status, message.split(":")[0]]).toEqual([400, field]);
    }
    expect((await refused("/api/v1/assets", { clientId, assetType: "ASSET_TYPE_NAS", hostname: "dc01.corp.example.com" }))[0]).toBe(409);
  });

  it("checks sites' subnets and gateway, and services' ports and URLs", async () => {
    const site = await created("/api/v1/sites", {
      clientId,
      name: `Lab ${randomUUID()}`,
      networkSubnet: "2001:db8:1::/64",
      vpnSubnet: "10.99.0.0/24",
      dnsServers: ["2001:db8:1::53", " 10.0.0.53 "],
    });
    expect([site.networkSubnet, site.dnsServers, site.vpnRequired]).toEqual(["2001:db8:1::/64", ["2001:db8:1::53", "10.0.0.53"], false]);
    for (const [fields, message] of [
      [{ networkSubnet: "10.1.2.3/16" }, "site.network_subnet: 10.1.2.3/16 has host bits set: the network is 10.1.0.0/16"],
      [{ networkSubnet: "10.1.0.0/16", gatewayIp: "10.2.0.1" }, "site.gateway_ip: 10.2.0.1 is outside the network 10.1.0.0/16"],
      [
        { dnsServers: ["8.8.8.8", "dns.example.com"] },
        "site.dns_servers[1]: must be an IPv4 or IPv6 address, such as 10.20.0.1 or 2001:db8::1",
      ],
    ] as const) {
      expect(await refused("/api/v1/sites", { clientId, name: `S ${randomUUID()}`, ...fields })).toEqual([400, message]);
    }
    expect((await refused("/api/v1/sites", { clientId, name: site.name }))[0]).toBe(409);
    const host = await asset({});
    expect(
      (await created("/api/v1/services", { infrastructureId: host.id, name: "LDAPS", internalUrl: "ldaps://dc01:636", port: 636 }))
        .internalUrl,
    ).toBe("ldaps://dc01:636");
    expect(await refused("/api/v1/services", { infrastructureId: host.id, name: "x", port: 70000 })).toEqual([
      400,
      "service.port: must be a port from 1 to 65535",
    ]);
    expect((await refused("/api/v1/services", { infrastructureId: host.id, name: "y", externalUrl: "javascript:alert(1)" }))[1]).toMatch(
      /^service\.external_url: /,
    );
    expect((await refused("/api/v1/services", { infrastructureId: randomUUID(), name: "z" }))[1]).toMatch(
      /^(service\.)?infrastructure_id: no asset has id /,
    );
    expect((await refused("/api/v1/services", { infrastructureId: host.id, name: "LDAPS" }))[0]).toBe(409);
  });

  it("keeps the host tree within one client and without cycles", async () => {
    const hypervisor = await asset({ assetType: "ASSET_TYPE_PHYSICAL_SERVER" });
    const vm = await asset({ parentHostId: hypervisor.id });
    const nested = await asset({ assetType: "ASSET_TYPE_CONTAINER", parentHostId: vm.id });
    const cycle = await api("PATCH", `/api/v1/assets/${hypervisor.id}`, { parentHostId: nested.id });
    expect([cycle.status, cycle.json.message]).toEqual([
      400,
      "asset.parent_host_id: would make the asset run on itself (a cycle in the host tree)",
    ]);
    const foreign = await created("/api/v1/assets", {
      clientId: otherClientId,
      assetType: "ASSET_TYPE_PHYSICAL_SERVER",
      hostname: "theirs",
    });
    expect(
      (await refused("/api/v1/assets", { clientId, assetType: "ASSET_TYPE_CONTAINER", hostname: "c1", parentHostId: foreign.id }))[1],
    ).toContain("belongs to another client");
  });

  it("takes M365 tenant ids as GUIDs, once", async () => {
    const guid = randomUUID();
    const tenant = await created("/api/v1/m365Tenants", {
      clientId,
      tenantId: guid.toUpperCase(),
      defaultDomain: "Contoso.onmicrosoft.com",
      adminEmail: "admin@contoso.onmicrosoft.com",
    });
    expect([tenant.tenantId, tenant.defaultDomain]).toEqual([guid, "contoso.onmicrosoft.com"]);
    expect((await refused("/api/v1/m365Tenants", { clientId, tenantId: guid }))[0]).toBe(409);
    expect(await refused("/api/v1/m365Tenants", { clientId, tenantId: "contoso" })).toEqual([400, "m365_tenant.tenant_id: must be a UUID"]);
    expect((await refused("/api/v1/m365Tenants", { clientId, tenantId: randomUUID(), adminEmail: "not an address" }))[1]).toMatch(
      /^m365_tenant\.admin_email: /,
    );
  });

  it("ties infrastructure changes to the work item's session, and checks deployments' asset ids", async () => {
    const session = await created("/api/v1/sessions", { clientId, title: "DNS move" });
    const other = await created("/api/v1/sessions", { clientId, title: "other" });
    const item = await created("/api/v1/workItems", {
      sessionId: session.id,
      title: "Move DNS",
      category: "WORK_ITEM_CATEGORY_INFRASTRUCTURE",
    });
    const host = await asset({});
    const change = await created("/api/v1/infrastructureChanges", {
      workItemId: item.id,
      infrastructureId: host.id,
      changeType: "CHANGE_TYPE_DNS",
      targetSystem: "zone contoso.com",
      beforeState: "A 10.0.0.5",
      afterState: "A 10.0.0.6",
      rollbackProcedure: "set the A record back to 10.0.0.5",
    });
    expect([change.sessionId, change.isPermanent, change.verified]).toEqual([session.id, true, false]);
    expect(
      (
        await refused("/api/v1/infrastructureChanges", {
          workItemId: item.id,
          sessionId: other.id,
          changeType: "CHANGE_TYPE_DNS",
          targetSystem: "x",
        })
      )[1],
    ).toContain("is not the session of the work item");
    expect(
      await refused("/api/v1/infrastructureChanges", { workItemId: randomUUID(), changeType: "CHANGE_TYPE_DNS", targetSystem: "x" }),
    ).toEqual([400, "infrastructure_change.work_item_id: no work item with this id"]);

    expect(
      await refused("/api/v1/deployments", {
        sessionId: session.id,
        deploymentType: "DEPLOYMENT_TYPE_CODE",
        infrastructureId: randomUUID(),
      }),
    ).toEqual([400, "deployment.infrastructure_id: no asset with this id"]);
    const svc = await created("/api/v1/services", { infrastructureId: host.id, name: "nginx" });
    const deployed = await created("/api/v1/deployments", {
      sessionId: session.id,
      deploymentType: "DEPLOYMENT_TYPE_CONTAINER",
      infrastructureId: host.id,
      serviceId: svc.id,
    });
    expect([deployed.infrastructureId, deployed.serviceId]).toEqual([host.id, svc.id]);
    expect(
      (
        await refused("/api/v1/databaseChanges", {
          sessionId: session.id,
          databaseName: "crm",
          changeType: "DATABASE_CHANGE_TYPE_INDEX",
          infrastructureId: randomUUID(),
        })
      )[1],
    ).toBe("database_change.infrastructure_id: no asset with this id");
  });

  it("tags assets with the work service's tags", async () => {
    const host = await asset({});
    const tagged = await created(`/api/v1/assets/${host.id}:addTag`, { tag: "Backup-Target" });
    expect(tagged.tags).toEqual(["backup-target"]);
    const found = await api("GET", `/api/v1/assets?filter=${encodeURIComponent('tags:"backup-target"')}`);
    expect(found.json.assets.map((a: Json) => a.id)).toEqual([host.id]);
    expect((await api("GET", `/api/v1/tags?filter=${encodeURIComponent('name = "backup-target"')}`)).json.tags).toHaveLength(1);
    expect((await created(`/api/v1/assets/${host.id}:removeTag`, { tag: "backup-target" })).tags ?? []).toEqual([]);
  });
});

describe("impact and dependencies", () => {
  it("follows dependencies transitively with paths, both ways, through a cycle, within the depth limit", async () => {
    const host = await asset({});
    const svc: Record<string, string> = {};
    for (const name of ["db", "api", "web", "proxy", "replica", "a", "b", "c"]) {
      svc[name] = (await created("/api/v1/services", { infrastructureId: host.id, name })).id;
    }
    const link = (from: string, to: string, relationship: string) =>
      created("/api/v1/serviceRelationships", { fromServiceId: svc[from], toServiceId: svc[to], relationship });
    const apiOnDb = await link("db", "api", "RELATIONSHIP_TYPE_BACKEND_FOR"); // api needs db
    const webOnApi = await link("web", "api", "RELATIONSHIP_TYPE_DEPENDS_ON");
    await link("web", "proxy", "RELATIONSHIP_TYPE_PROXIED_BY"); // web needs proxy
    await link("db", "replica", "RELATIONSHIP_TYPE_REPLICATES_TO"); // replica needs db
    // A cycle: a needs b, b needs c, c needs a; and c needs db.
    await link("a", "b", "RELATIONSHIP_TYPE_DEPENDS_ON");
    await link("b", "c", "RELATIONSHIP_TYPE_DEPENDS_ON");
    await link("c", "a", "RELATIONSHIP_TYPE_DEPENDS_ON");
    await link("c", "db", "RELATIONSHIP_TYPE_DEPENDS_ON");
    expect(
      (
        await refused("/api/v1/serviceRelationships", {
          fromServiceId: svc["a"],
          toServiceId: svc["a"],
          relationship: "RELATIONSHIP_TYPE_DEPENDS_ON",
        })
      )[0],
    ).toBe(400);

    const impact = (await api("GET", `/api/v1/services/${svc["db"]}:impact`)).json;
    const byName = Object.fromEntries(impact.services.map((s: Json) => [s.service.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["a", "api", "b", "c", "replica", "web"]);
    expect([byName.api.depth, byName.web.depth, byName.c.depth, byName.b.depth, byName.a.depth]).toEqual([1, 2, 1, 2, 3]);
    expect(byName.web.path.map((step: Json) => step.relationshipId)).toEqual([apiOnDb.id, webOnApi.id]);
    expect(byName.web.path[0]).toMatchObject({
      dependentServiceId: svc["api"],
      dependencyServiceId: svc["db"],
      relationship: "backend_for",
    });
    expect(impact.truncated).toBe(false);

    const shallow = (await api("GET", `/api/v1/services/${svc["db"]}:impact?maxDepth=1`)).json;
    expect(shallow.services.map((s: Json) => s.service.name).sort()).toEqual(["api", "c", "replica"]);
    expect(shallow.truncated).toBe(true);

    const needs = (await api("GET", `/api/v1/services/${svc["web"]}:dependencies`)).json;
    expect(needs.services.map((s: Json) => s.service.name).sort()).toEqual(["api", "db", "proxy"]);
    const cyclic = (await api("GET", `/api/v1/services/${svc["a"]}:dependencies`)).json;
    expect(cyclic.services.map((s: Json) => [s.service.name, s.depth])).toEqual([
      ["b", 1],
      ["c", 2],
      ["db", 3],
    ]);
    expect((await api("GET", `/api/v1/services/${svc["db"]}:impact?maxDepth=51`)).status).toBe(400);
  });

  it("lists what goes down with an asset: hosted assets, their services, and their dependents elsewhere", async () => {
    const hypervisor = await asset({ assetType: "ASSET_TYPE_PHYSICAL_SERVER" });
    const vm = await asset({ parentHostId: hypervisor.id });
    const container = await asset({ assetType: "ASSET_TYPE_CONTAINER", parentHostId: vm.id });
    const elsewhere = await asset({});
    const database = await created("/api/v1/services", { infrastructureId: container.id, name: "postgres" });
    const app = await created("/api/v1/services", { infrastructureId: elsewhere.id, name: "erp" });
    await created("/api/v1/serviceRelationships", {
      fromServiceId: app.id,
      toServiceId: database.id,
      relationship: "RELATIONSHIP_TYPE_DEPENDS_ON",
    });
    const impact = (await api("GET", `/api/v1/assets/${hypervisor.id}:impact`)).json;
    expect(impact.hostedAssets.map((a: Json) => [a.id, a.depth])).toEqual([
      [vm.id, 1],
      [container.id, 2],
    ]);
    expect(impact.hostedAssets[1].path).toEqual([hypervisor.id, vm.id, container.id]);
    expect(impact.services.map((s: Json) => s.id)).toEqual([database.id]);
    expect(impact.dependents.map((s: Json) => [s.service.id, s.service.hostname])).toEqual([[app.id, elsewhere.hostname]]);
  });
});

describe("firewall analysis", () => {
  it("finds shadowed, redundant and conflicting rules, including one covered only by two earlier rules together", async () => {
    const firewall = await asset({ assetType: "ASSET_TYPE_FIREWALL" });
    const rule = (position: number, fields: Record<string, unknown>) =>
      created("/api/v1/firewallRules", { infrastructureId: firewall.id, position, name: `r${position}`, ...fields });
    const lowHalf = await rule(10, {
      sourceCidr: "10.0.0.0/25",
      destinationCidr: "192.0.2.10",
      protocol: "FIREWALL_PROTOCOL_TCP",
      portRange: "443",
      action: "FIREWALL_ACTION_DENY",
    });
    const highHalf = await rule(20, {
      sourceCidr: "10.0.0.128/25",
      destinationCidr: "192.0.2.10",
      protocol: "FIREWALL_PROTOCOL_TCP",
      portRange: "443",
      action: "FIREWALL_ACTION_DROP",
    });
    // Covered by 10 and 20 together, neither alone; they block, it allows: shadowed.
    const union = await rule(30, {
      sourceCidr: "10.0.0.0/24",
      destinationCidr: "192.0.2.10/32",
      protocol: "FIREWALL_PROTOCOL_TCP",
      portRange: "443",
      action: "FIREWALL_ACTION_ALLOW",
    });
    // Covered by 10 and 20 too, and it blocks as they do: redundant.
    const again = await rule(40, {
      sourceCidr: "10.0.0.64/26",
      destinationCidr: "192.0.2.10",
      protocol: "FIREWALL_PROTOCOL_TCP",
      portRange: "443",
      action: "FIREWALL_ACTION_DENY",
    });
    // Part of it (port 443 from 10.0.0.0/24) was blocked earlier: conflicting.
    const wide = await rule(50, {
      sourceCidr: "10.0.0.0/16",
      destinationCidr: "192.0.2.0/24",
      protocol: "FIREWALL_PROTOCOL_TCP",
      portRange: "80,443",
      action: "FIREWALL_ACTION_ALLOW",
    });
    // v6, untouched by the rest.
    await rule(60, { sourceCidr: "2001:db8::/32", protocol: "FIREWALL_PROTOCOL_UDP", portRange: "53", action: "FIREWALL_ACTION_ALLOW" });
    await rule(70, { sourceCidr: "10.0.0.0/24", action: "FIREWALL_ACTION_DENY", isEnabled: false });
    expect(
      await refused("/api/v1/firewallRules", {
        infrastructureId: firewall.id,
        protocol: "FIREWALL_PROTOCOL_ICMP",
        portRange: "80",
        action: "FIREWALL_ACTION_ALLOW",
      }),
    ).toEqual([400, "firewall_rule.port_range: applies only to tcp and udp rules (this rule's protocol is icmp)"]);
    expect(
      (
        await refused("/api/v1/firewallRules", {
          infrastructureId: firewall.id,
          sourceCidr: "10.0.0.0/8",
          destinationCidr: "2001:db8::/32",
          action: "FIREWALL_ACTION_ALLOW",
        })
      )[1],
    ).toMatch(/^firewall_rule\.destination_cidr: /);
    const edge = await asset({ assetType: "ASSET_TYPE_FIREWALL" });
    const first = await created("/api/v1/firewallRules", { infrastructureId: edge.id, action: "FIREWALL_ACTION_DENY" });
    const second = await created("/api/v1/firewallRules", { infrastructureId: edge.id, action: "FIREWALL_ACTION_DENY" });
    expect([first.position, second.position]).toEqual([10, 20]);

    const analysis = (await api("GET", `/api/v1/assets/${firewall.id}/firewallRules:analyze`)).json;
    expect([analysis.rulesAnalyzed, analysis.rulesDisabled]).toEqual([6, 1]);
    const findings = analysis.findings.map((f: Json) => [f.ruleId, f.kind, f.relatedRuleIds]);
    expect(findings).toEqual([
      [union.id, "FINDING_KIND_SHADOWED", [lowHalf.id, highHalf.id]],
      [again.id, "FINDING_KIND_REDUNDANT", [lowHalf.id]],
      [wide.id, "FINDING_KIND_CONFLICTING", [lowHalf.id, highHalf.id]],
    ]);
    expect(analysis.findings[0].explanation).toContain("30");
  });
});

describe("an asset's page", () => {
  it("brings the asset, parent, children, services, networks, open incidents and recent changes in one call", async () => {
    // A client of its own: the networks of the other tests (0.0.0.0/0 among them) would hold the address too.
    const clientId = (await created("/api/v1/clients", { name: `Northwind ${randomUUID()}` })).id;
    const asset = (fields: Record<string, unknown>) =>
      created("/api/v1/assets", {
        clientId,
        assetType: "ASSET_TYPE_VIRTUAL_MACHINE",
        hostname: `vm-${randomUUID().slice(0, 8)}`,
        ...fields,
      });
    const site = await created("/api/v1/sites", { clientId, name: `Branch ${randomUUID()}` });
    const wide = await created("/api/v1/networks", { clientId, siteId: site.id, name: "branch", cidr: "172.16.0.0/16" });
    const narrow = await created("/api/v1/networks", {
      clientId,
      siteId: site.id,
      name: "servers",
      cidr: "172.16.5.0/24",
      overlapAllowed: true,
    });
    await created("/api/v1/networks", { clientId, siteId: site.id, name: "guests", cidr: "172.17.0.0/24" });
    const hypervisor = await asset({ assetType: "ASSET_TYPE_PHYSICAL_SERVER" });
    const host = await asset({ parentHostId: hypervisor.id, ipAddress: "172.16.5.20", siteId: site.id });
    const child = await asset({ assetType: "ASSET_TYPE_CONTAINER", parentHostId: host.id });
    const svc = await created("/api/v1/services", { infrastructureId: host.id, name: "IIS", port: 443, protocol: "HTTPS" });
    for (let i = 1; i <= 3; i++) {
      await created("/api/v1/infrastructureChanges", {
        infrastructureId: host.id,
        changeType: "CHANGE_TYPE_SSL",
        targetSystem: `cert ${i}`,
      });
    }
    const open = await created("/api/v1/securityIncidents", {
      clientId,
      infrastructureId: host.id,
      incidentType: "INCIDENT_TYPE_MALWARE",
      severity: "INCIDENT_SEVERITY_HIGH",
      description: "EDR alert",
    });
    await created("/api/v1/securityIncidents", {
      clientId,
      infrastructureId: host.id,
      incidentType: "INCIDENT_TYPE_PHISHING",
      severity: "INCIDENT_SEVERITY_LOW",
      description: "old",
      status: "INCIDENT_STATUS_RESOLVED",
    });

    const page = (await api("GET", `/api/v1/assets/${host.id}:page?recentChanges=2`)).json;
    expect(page.asset.id).toBe(host.id);
    expect(page.parent.id).toBe(hypervisor.id);
    expect(page.children.map((c: Json) => c.id)).toEqual([child.id]);
    expect(page.services.map((s: Json) => [s.id, s.protocol])).toEqual([[svc.id, "https"]]);
    expect(page.networks.map((n: Json) => n.id)).toEqual([narrow.id, wide.id]);
    expect(page.recentChanges.map((c: Json) => c.targetSystem)).toEqual(["cert 3", "cert 2"]);
    expect(page.openIncidents.map((i: Json) => [i.id, i.severity, i.status])).toEqual([[open.id, "high", "investigating"]]);
    expect(page.openIncidentsUnavailable ?? "").toBe("");
    expect((await api("GET", `/api/v1/assets/${randomUUID()}:page`)).status).toBe(404);
  });
});

describe("CSV import", () => {
  const importFile = (kind: string, csv: string, dryRun = false) =>
    api("POST", "/api/v1/infrastructure:import", { clientId, kind, csv, dryRun });

  it("refuses a bad file with every row's errors and writes nothing", async () => {
    const before = (await api("GET", `/api/v1/assets?pageSize=500&filter=${encodeURIComponent(`client_id = "${clientId}"`)}`)).json.assets
      .length;
    const csv = [
      "Host Name,Type,IP,MAC,Site,Parent,Colour",
      "imp-ok-1,VM,10.9.0.1,,,,blue",
      "imp-bad-ip,VM,10.9.0.300,,,,",
      "imp-bad-type,toaster,10.9.0.3,,,,",
      "imp-bad-mac,server,,zz:zz,,,",
      "imp-no-site,vm,,,Atlantis,,",
      "imp-ok-1,vm,,,,,",
    ].join("\n");
    const { status, json } = await importFile("IMPORT_KIND_ASSETS", csv);
    expect(status).toBe(200);
    expect(json.imported ?? 0).toBe(0);
    expect(json.errors.map((e: Json) => [e.line, e.field])).toEqual([
      [3, "asset.ip_address"],
      [4, "asset.asset_type"],
      [5, "asset.mac_address"],
      [6, "asset.site"],
      [7, ""],
    ]);
    expect(json.ignoredColumns).toEqual(["Colour"]);
    expect(json.columns).toContain("Host Name -> hostname");
    const after = (await api("GET", `/api/v1/assets?pageSize=500&filter=${encodeURIComponent(`client_id = "${clientId}"`)}`)).json.assets
      .length;
    expect(after).toBe(before);
  });

  it("checks a good file in a dry run without writing, then imports it whole, parents before children", async () => {
    const csv =
      'hostname;asset_type;ip_address;parent_host;limitations\r\n"imp-vm-1";virtual machine;10.8.0.11;imp-hv;"no internet; PowerShell 2.0 only"\r\nimp-hv;physical server;10.8.0.10;;\r\n';
    const dry = (await importFile("IMPORT_KIND_ASSETS", csv, true)).json;
    expect([dry.dryRun, dry.rows, dry.imported ?? 0, dry.errors ?? []]).toEqual([true, 2, 0, []]);
    expect((await api("GET", `/api/v1/assets?filter=${encodeURIComponent('hostname = "imp-hv"')}`)).json.assets ?? []).toEqual([]);
    const done = (await importFile("IMPORT_KIND_ASSETS", csv)).json;
    expect([done.imported, done.ids.length, done.errors ?? []]).toEqual([2, 2, []]);
    const vm = (await api("GET", `/api/v1/assets/${done.ids[0]}`)).json;
    expect([vm.hostname, vm.assetType, vm.parentHostId, vm.limitations]).toEqual([
      "imp-vm-1",
      "ASSET_TYPE_VIRTUAL_MACHINE",
      done.ids[1],
      ["no internet", "PowerShell 2.0 only"],
    ]);

    const services = (await importFile("IMPORT_KIND_SERVICES", "Service,Host,Port,Protocol\nSQL,imp-vm-1,1433,tcp\nWeb,imp-hv,443,https\n"))
      .json;
    expect([services.imported, services.errors ?? []]).toEqual([2, []]);
    const networks = (
      await importFile("IMPORT_KIND_NETWORKS", "Name,Subnet,Gateway,VLAN\nimp-lan,10.8.0.0/24,10.8.0.1,20\nimp-v6,2001:db8:8::/48,,\n")
    ).json;
    expect([networks.imported, networks.errors ?? []]).toEqual([2, []]);
    expect((await importFile("IMPORT_KIND_NETWORKS", "Name,Gateway\nx,10.0.0.1\n")).json.message).toContain("has no column for cidr");
  });
});

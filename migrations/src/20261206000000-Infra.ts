import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/** A CIDR or an address as text: the longest canonical IPv6 CIDR is 39 + 4 characters. */
const cidrText = () => col.string(49);
const ipText = () => col.string(45);

/**
 * The infrastructure service's tables: sites, assets (the infrastructure table) with their tags,
 * services and the relationships between them, networks, firewall rules, M365 tenants and
 * infrastructure changes. Client, tag, work item and session ids belong to the work service:
 * plain ids, no foreign keys, checked through that service.
 */
export const infra: Migration = {
  name: "20261206000000-Infra",
  async up(ctx) {
    await createTable(
      ctx,
      "sites",
      {
        ...entityColumns(),
        client_id: col.uuid().notNull(),
        name: col.string(255).notNull(),
        network_subnet: cidrText(),
        vpn_required: col.bool().notNull().default(false),
        vpn_subnet: cidrText(),
        gateway_ip: ipText(),
        dns_servers: col.json(),
        notes: col.text(),
      },
      { unique: [["client_id", "name"]], indexes: ["name", "created_at"] },
    );
    await createTable(
      ctx,
      "infrastructure",
      {
        ...entityColumns(),
        client_id: col.uuid().notNull(),
        site_id: col.ref("sites", "SET NULL"),
        parent_host_id: col.ref("infrastructure", "SET NULL"),
        asset_type: col
          .enum([
            "physical_server",
            "virtual_machine",
            "container",
            "network_device",
            "nas",
            "firewall",
            "workstation",
            "cloud_service",
            "other",
          ])
          .notNull(),
        hostname: col.string(253).notNull(),
        ip_address: ipText(),
        mac_address: col.string(17),
        os: col.string(255),
        os_version: col.string(255),
        role: col.string(255),
        status: col.enum(["active", "migration_source", "migration_destination", "maintenance", "decommissioned"]).notNull(),
        shell_type: col.string(64),
        package_manager: col.string(64),
        has_gui: col.bool(),
        limitations: col.json(),
        aliases: col.json(),
        // A copy of the names in infrastructure_tags, for reads and the `tags:"x"` filter.
        tags: col.json(),
        environmental_notes: col.text(),
        notes: col.text(),
      },
      {
        unique: [["client_id", "hostname"]],
        indexes: ["site_id", "parent_host_id", "asset_type", "status", "hostname", "ip_address", "mac_address", "os", "role", "created_at"],
      },
    );
    await createTable(
      ctx,
      "infrastructure_tags",
      {
        id: col.id(),
        infrastructure_id: col.ref("infrastructure", "CASCADE").notNull(),
        tag_id: col.uuid().notNull(),
        tag_name: col.string(100).notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: [["infrastructure_id", "tag_id"]], indexes: ["tag_id"] },
    );
    await createTable(
      ctx,
      "services",
      {
        ...entityColumns(),
        infrastructure_id: col.ref("infrastructure", "CASCADE").notNull(),
        name: col.string(255).notNull(),
        service_type: col.string(64),
        external_url: col.string(2048),
        internal_url: col.string(2048),
        port: col.int(),
        protocol: col.string(32),
        status: col.enum(["running", "stopped", "degraded", "unknown"]).notNull(),
        version: col.string(128),
        notes: col.text(),
      },
      {
        unique: [["infrastructure_id", "name"]],
        indexes: ["name", "service_type", "port", "protocol", "status", "created_at"],
        checks: ["port IS NULL OR (port >= 1 AND port <= 65535)"],
      },
    );
    await createTable(
      ctx,
      "service_relationships",
      {
        ...entityColumns(),
        from_service_id: col.ref("services", "CASCADE").notNull(),
        to_service_id: col.ref("services", "CASCADE").notNull(),
        relationship: col.enum(["hosted_on", "proxied_by", "authenticates_via", "backend_for", "depends_on", "replicates_to"]).notNull(),
        notes: col.text(),
      },
      {
        unique: [["from_service_id", "to_service_id", "relationship"]],
        // The walks read by one end and the kind (the unique key serves from_service_id); no index on
        // the kind alone, which a planner would prefer for its two reversed kinds and scan.
        indexes: [["to_service_id", "relationship"], "created_at"],
        checks: ["from_service_id <> to_service_id"],
      },
    );
    await createTable(
      ctx,
      "networks",
      {
        ...entityColumns(),
        client_id: col.uuid().notNull(),
        site_id: col.ref("sites", "SET NULL"),
        name: col.string(255).notNull(),
        network_type: col.enum(["lan", "vpn", "vlan", "isolated", "dmz", "wan"]).notNull(),
        cidr: cidrText().notNull(),
        // The range as its IP version and two 32-digit hex numbers ("4" or "6" first), compared as text:
        // overlaps are found with an index, on both dialects, and a v4 range never meets a v6 one.
        range_start: col.string(33).notNull(),
        range_end: col.string(33).notNull(),
        gateway_ip: ipText(),
        vlan_id: col.int(),
        overlap_allowed: col.bool().notNull().default(false),
        notes: col.text(),
      },
      {
        indexes: ["client_id", "name", "network_type", "cidr", "vlan_id", ["range_start", "range_end"], "created_at"],
        checks: ["vlan_id IS NULL OR (vlan_id >= 1 AND vlan_id <= 4094)"],
      },
    );
    await createTable(
      ctx,
      "firewall_rules",
      {
        ...entityColumns(),
        infrastructure_id: col.ref("infrastructure", "CASCADE").notNull(),
        name: col.string(255),
        source_cidr: cidrText(),
        destination_cidr: cidrText(),
        port_range: col.string(1024),
        protocol: col.enum(["tcp", "udp", "icmp", "any"]).notNull(),
        action: col.enum(["allow", "deny", "drop"]).notNull(),
        position: col.int().notNull(),
        is_enabled: col.bool().notNull().default(true),
        notes: col.text(),
      },
      { unique: [["infrastructure_id", "position"]], indexes: ["action", "protocol", "is_enabled", "created_at"] },
    );
    await createTable(
      ctx,
      "m365_tenants",
      {
        ...entityColumns(),
        client_id: col.uuid().notNull(),
        tenant_id: col.uuid().notNull(),
        tenant_name: col.string(255),
        default_domain: col.string(255),
        admin_email: col.string(320),
        notes: col.text(),
      },
      { unique: ["tenant_id"], indexes: ["client_id", "default_domain", "tenant_name", "created_at"] },
    );
    await createTable(
      ctx,
      "infrastructure_changes",
      {
        ...entityColumns(),
        work_item_id: col.uuid(),
        session_id: col.uuid(),
        infrastructure_id: col.ref("infrastructure", "SET NULL"),
        change_type: col
          .enum(["dns", "firewall", "routing", "ssl", "container", "service_config", "hardware", "network", "storage"])
          .notNull(),
        target_system: col.string(1024).notNull(),
        before_state: col.text(),
        after_state: col.text(),
        is_permanent: col.bool().notNull().default(true),
        rollback_procedure: col.text(),
        verified: col.bool().notNull().default(false),
        verification_notes: col.text(),
      },
      {
        indexes: [
          "work_item_id",
          "session_id",
          ["infrastructure_id", "created_at"],
          "change_type",
          "verified",
          "is_permanent",
          "created_at",
        ],
      },
    );
  },
  async down(ctx) {
    for (const table of [
      "infrastructure_changes",
      "m365_tenants",
      "firewall_rules",
      "networks",
      "service_relationships",
      "services",
      "infrastructure_tags",
      "infrastructure",
      "sites",
    ]) {
      await dropTable(ctx, table);
    }
  },
};

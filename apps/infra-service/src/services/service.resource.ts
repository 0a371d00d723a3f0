import type { ResourceDefinition } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { ServiceRelationshipSchema, ServiceSchema } from "@msp/proto/src/gen/es/msp/infra/v1/service_pb";
import { AssetModel, ServiceModel, ServiceRelationshipModel } from "../models";

/** An absolute URL with a scheme and a host (https://..., ldaps://dc01:636); never javascript:, data: or file:. */
export function checkServiceUrl(field: string, value: string): string {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument(field, "must be an absolute URL, such as https://portal.example.com or ldaps://dc01:636");
  }
  if (url.host === "" || ["javascript:", "data:", "file:", "vbscript:"].includes(url.protocol)) {
    throw invalidArgument(field, "must be an absolute URL with a host, such as https://portal.example.com");
  }
  return text;
}

/** Services on assets: a name unique on its asset, a port from 1 to 65535, URLs with a host. */
export const serviceResource: ResourceDefinition = {
  name: "service",
  model: ServiceModel,
  schema: ServiceSchema,
  required: ["infrastructure_id", "name"],
  unique: [["infrastructure_id", "name"]],
  references: { infrastructure_id: [AssetModel, "asset"] },
  fieldOverrides: { maxLength: { external_url: 2048, internal_url: 2048, service_type: 64, protocol: 32, version: 128 } },
  filterable: ["infrastructure_id", "name", "service_type", "port", "protocol", "status", "created_at"],
  orderable: ["name", "created_at", "updated_at"],
  defaultOrderBy: "name",
  prepare(row) {
    row["status"] ??= "running";
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    const port = row["port"];
    if (typeof port === "number" && (port < 1 || port > 65535)) throw invalidArgument("service.port", "must be a port from 1 to 65535");
    for (const field of ["external_url", "internal_url"]) {
      if (typeof row[field] === "string") row[field] = checkServiceUrl(`service.${field}`, row[field]);
    }
    if (typeof row["protocol"] === "string") row["protocol"] = row["protocol"].trim().toLowerCase();
  },
};

/** Relationships between two different services; one of each kind per ordered pair. */
export const serviceRelationshipResource: ResourceDefinition = {
  name: "service_relationship",
  model: ServiceRelationshipModel,
  schema: ServiceRelationshipSchema,
  required: ["from_service_id", "to_service_id", "relationship"],
  immutable: ["from_service_id", "to_service_id"],
  unique: [["from_service_id", "to_service_id", "relationship"]],
  references: { from_service_id: [ServiceModel, "service"], to_service_id: [ServiceModel, "service"] },
  filterable: ["from_service_id", "to_service_id", "relationship", "created_at"],
  orderable: ["created_at", "updated_at"],
  prepare(row) {
    if (row["from_service_id"] !== undefined && row["from_service_id"] === row["to_service_id"]) {
      throw invalidArgument(
        "service_relationship.to_service_id",
        "must be another service than from_service_id (a service never depends on itself)",
      );
    }
  },
};

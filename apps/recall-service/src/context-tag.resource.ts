import type { ResourceDefinition } from "@msp/resource-kit";
import { ContextTagSchema } from "@msp/proto/src/gen/es/msp/recall/v1/context_tag_pb";
import { ContextTagModel } from "./models";

/** The tag index of contexts and snippets: listed only, written by their resources and by Ingest. */
export const contextTagResource: ResourceDefinition = {
  name: "context_tag",
  model: ContextTagModel,
  schema: ContextTagSchema,
  fieldOverrides: { maxLength: { tag: 64 } },
  filterable: ["tag", "owner_type", "owner_id", "project_id", "client_id", "created_at"],
  orderable: ["tag", "created_at"],
};

import type { ResourceDefinition } from "@msp/resource-kit";
import { MachineSchema } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import { MachineModel } from "./models";

/** Machines: one row per computer, recognised by its fingerprint. */
export const machineResource: ResourceDefinition = {
  name: "machine",
  model: MachineModel,
  schema: MachineSchema,
  fieldOverrides: { maxLength: { home_directory: 1024, preferred_shell: 64, working_directories: 1024 } },
  required: ["hostname", "fingerprint"],
  unique: [["fingerprint"]],
  filterable: ["hostname", "fingerprint", "machine_type", "platform", "is_active", "is_primary", "created_at", "installed_tools"],
  orderable: ["hostname", "created_at", "updated_at"],
  prepare(row) {
    for (const key of ["hostname", "fingerprint"]) {
      const value = row[key];
      if (typeof value === "string") row[key] = value.trim();
    }
  },
};

import type { Transaction } from "sequelize";
import type { Model, ModelCtor } from "sequelize-typescript";
import { invalidArgument } from "@msp/errors";
import { textOf } from "@msp/resource-kit";

/**
 * Checks that `field` names a row of `model` (a site, an asset) that belongs to the same client
 * as the record being written: a network of one client is never filed under another's site.
 */
export async function requireSameClient(
  model: ModelCtor<Model>,
  what: string,
  field: string,
  id: unknown,
  clientId: unknown,
  transaction: Transaction,
): Promise<void> {
  if (id === null || id === undefined) return;
  const row = (await model.findOne({ where: { id }, attributes: ["id", "client_id"], raw: true, transaction })) as {
    client_id: string;
  } | null;
  if (!row) throw invalidArgument(field, `no ${what} has id ${textOf(id)}`);
  if (row.client_id !== clientId) throw invalidArgument(field, `the ${what} ${textOf(id)} belongs to another client`);
}

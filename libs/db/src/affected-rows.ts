/** Rows an UPDATE or DELETE changed, as either driver reports it through Sequelize (pass the metadata half of `query`'s answer). */
export function affectedRows(result: unknown): number {
  if (typeof result === "number") return result;
  if (result && typeof result === "object" && "affectedRows" in result) return Number((result as { affectedRows: unknown }).affectedRows);
  if (result && typeof result === "object" && "changes" in result) return Number((result as { changes: unknown }).changes);
  return 0;
}

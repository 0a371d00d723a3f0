import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";

/**
 * A command's outcome stays consistent: success follows the exit code (0 succeeds) unless the
 * caller says otherwise; without either, a command succeeded unless a failure category is given;
 * only a command that did not succeed has a failure category.
 */
export function settleCommandOutcome(row: StoredRecord, existing: StoredRecord | undefined, given: ReadonlySet<string>): void {
  const successGiven = given.has("success") && typeof row["success"] === "boolean";
  if (!successGiven) {
    if (given.has("exit_code") && typeof row["exit_code"] === "number") row["success"] = row["exit_code"] === 0;
    else if (!existing || typeof row["success"] !== "boolean")
      row["success"] = row["failure_category"] === null || row["failure_category"] === undefined;
  }
  if (row["success"] === true && row["failure_category"] !== null && row["failure_category"] !== undefined) {
    throw invalidArgument(
      "command_run.failure_category",
      "only a command that did not succeed has a failure category; clear it, or set success to false",
    );
  }
}

import { methodAccess } from "@msp/auth";

/** Whether an RPC only reads: only those are retried after UNAVAILABLE. */
export function isReadMethod(path: string): boolean {
  return !methodAccess(path).mutates;
}

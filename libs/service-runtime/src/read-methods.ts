import { methodPolicy } from "@msp/auth";

/** Whether an RPC only reads, as its proto declares (msp.policy.v1): only those are retried after UNAVAILABLE. */
export function isReadMethod(path: string): boolean {
  return methodPolicy(path).access === "read";
}

import { v7, validate } from "uuid";

/** Time-ordered ids keep InnoDB inserts at the end of the primary index. */
export function uuidv7(): string {
  return v7();
}

export function isUuid(value: string): boolean {
  return validate(value);
}

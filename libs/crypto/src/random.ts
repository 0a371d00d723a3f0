import { randomInt } from "node:crypto";

/** One element of `items` chosen uniformly at random (crypto.randomInt: no modulo bias). */
export function pickRandom<T>(items: readonly T[]): T {
  const item = items[randomInt(items.length)];
  if (item === undefined) throw new RangeError("cannot pick from an empty list");
  return item;
}

/** Shuffles `items` in place, uniformly (Fisher-Yates with crypto.randomInt). */
export function shuffleInPlace<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}

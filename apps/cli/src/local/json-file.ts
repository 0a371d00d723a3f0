import { readFileSync } from "node:fs";

/** A JSON file's content, or `fallback` when it is missing or damaged (caches and state may be rebuilt). */
export function readJsonFile<T>(path: string, fallback: T): T {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

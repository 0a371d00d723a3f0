export * from "./database";
export * from "./migrate";
export * from "./schema";
export * from "./mutex";
export * from "./lock-retry";
export { isUuid, uuidv7 } from "./uuid";
export { sqlPlaceholders } from "./placeholders";
export { affectedRows } from "./affected-rows";
export { asDatabaseUnavailable, databaseUnavailableMessage, isDatabaseUnavailable } from "./unavailable";

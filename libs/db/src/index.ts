export * from "./database";
export * from "./migrate";
export * from "./schema";
export * from "./mutex";
export { isUuid, uuidv7 } from "./uuid";
export { sqlPlaceholders } from "./placeholders";

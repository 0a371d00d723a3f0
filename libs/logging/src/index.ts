export * from "./create-logger";

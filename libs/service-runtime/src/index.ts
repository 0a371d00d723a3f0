export * from "./main-of";
export * from "./read-methods";
export * from "./run-service";
export * from "./service-config";
export * from "./service-module";
export * from "./standby";
export * from "./idempotency-store";

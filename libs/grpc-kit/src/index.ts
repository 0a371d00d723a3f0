export * from "./call-context";
export * from "./error-details";
export * from "./handlers";
export * from "./idempotency";
export * from "./reflection";
export * from "./server";

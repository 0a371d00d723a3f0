export * from "./call-context";
export * from "./error-details";
export * from "./handlers";
export * from "./reflection";
export * from "./server";

export * from "./test-database";
export * from "./test-service";
export * from "./test-token";
export * from "./platform-stack";

export * from "./test-database";
export * from "./test-service";
export * from "./test-token";
export * from "./platform-stack";
export * from "./expect-status";
export * from "./service-stack";
export * from "./free-port";
export * from "./seeded-random";

export * from "./main-of";
export * from "./run-service";
export * from "./service-config";
export * from "./node-args";

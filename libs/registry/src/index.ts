export * from "./platform-services";
export * from "./platform-processes";
export * from "./service-lookup";

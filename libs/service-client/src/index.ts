export * from "./peer-clients";
export * from "./peer-error";
export * from "./service-channels";
export * from "./peer-ids";

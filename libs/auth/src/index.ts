export * from "./authenticator";
export * from "./bearer-token";
export * from "./cached-verifier";
export * from "./policy";
export * from "./principal";
export * from "./revocation-client";
export * from "./tokens";
export * from "./service-tokens";

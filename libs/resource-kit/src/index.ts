export * from "./audit-outbox";
export * from "./codec";
export * from "./etag";
export * from "./fields";
export * from "./filter";
export * from "./query";
export * from "./resource";
export * from "./standard-methods";

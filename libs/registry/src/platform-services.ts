/**
 * The one list of the platform's gRPC services. `npm start`, the gateway's backends, the test
 * platform stack, service-to-service clients and the README's port table are all derived from
 * it: adding a service is a folder under apps/ (apps/<name>/src/main.ts) plus one entry here.
 */
export interface ServiceEntry {
  /** The service's name: its logs, its start-up line ("<name> listening on ..."), what peers ask for. */
  name: string;
  /** The app (folder under apps/ and Nx project) whose process serves it; identity runs in the gateway's. */
  app: string;
  /** The proto packages it serves; each msp.* package of the protos has exactly one owner. */
  protoPackages: readonly string[];
  /** Its gRPC port unless <envPrefix>_PORT says otherwise (the README's port tables list them). */
  defaultPort: number;
  /** Prefix of its variables: <PREFIX>_PORT where it listens, <PREFIX>_ADDRESSES where others reach it. */
  envPrefix: string;
}

/** Every gRPC service of the platform, in start order (services before the gateway that fronts them). */
export const platformServices = [
  {
    name: "work-service",
    app: "work-service",
    protoPackages: ["msp.work.v1"],
    defaultPort: 50051,
    envPrefix: "WORK_SERVICE",
  },
  {
    name: "infra-service",
    app: "infra-service",
    protoPackages: ["msp.infra.v1"],
    defaultPort: 50052,
    envPrefix: "INFRA_SERVICE",
  },
  {
    name: "vault-service",
    app: "vault-service",
    protoPackages: ["msp.vault.v1"],
    defaultPort: 50053,
    envPrefix: "VAULT_SERVICE",
  },
  {
    name: "audit-service",
    app: "audit-service",
    protoPackages: ["msp.audit.v1"],
    defaultPort: 50054,
    envPrefix: "AUDIT_SERVICE",
  },
  {
    name: "recall-service",
    app: "recall-service",
    protoPackages: ["msp.recall.v1"],
    defaultPort: 50055,
    envPrefix: "RECALL_SERVICE",
  },
  {
    name: "identity",
    app: "gateway",
    protoPackages: ["msp.identity.v1"],
    defaultPort: 50050,
    envPrefix: "IDENTITY",
  },
] as const satisfies readonly ServiceEntry[];

/** The HTTP door: REST, Connect, OpenAPI and docs, in front of every service (GATEWAY_PORT, GATEWAY_HOST). */
export const gatewayEntry = { app: "gateway", defaultPort: 8080 } as const;

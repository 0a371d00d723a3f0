/** One process of the platform, as `npm start` runs it. */
export interface StackProcess {
  name: string;
  entry: string;
  /** Environment variable holding its port, and the default from ARCHITECTURE.md. */
  portVariable: string;
  defaultPort: number;
  protocol: "gRPC" | "HTTP";
}

/** Every process of the platform. Later services add themselves here. */
export const stackProcesses: readonly StackProcess[] = [
  { name: "work-service", entry: "apps/work-service/src/main.ts", portVariable: "WORK_SERVICE_PORT", defaultPort: 50051, protocol: "gRPC" },
  {
    name: "recall-service",
    entry: "apps/recall-service/src/main.ts",
    portVariable: "RECALL_SERVICE_PORT",
    defaultPort: 50055,
    protocol: "gRPC",
  },
  // Started last: it forwards to the others. It also serves the identity services over gRPC (IDENTITY_PORT, 50050).
  { name: "gateway", entry: "apps/gateway/src/main.ts", portVariable: "GATEWAY_PORT", defaultPort: 8080, protocol: "HTTP" },
];

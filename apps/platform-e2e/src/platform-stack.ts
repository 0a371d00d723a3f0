// The launcher lives in libs/testing, where the benchmarks use it too.
export { freePort, startPlatform } from "@msp/testing";
export type { Json, PlatformStack } from "@msp/testing";

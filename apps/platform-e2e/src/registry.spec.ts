// One-folder services: the stack's processes, the gateway's backends, the Nx e2e project and the
// README's port table all come from the registry (libs/registry) and the protos; this checks that
// they agree, so a new service is one folder plus one registry entry.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { createFileRegistry } from "@bufbuild/protobuf";
import { methodPolicy } from "@msp/auth";
import { loadDescriptorSet } from "@msp/proto";
import type { ServiceEntry } from "@msp/registry";
import { gatewayBackends, gatewayEntry, ownerOfPackage, platformProcesses, platformServices as registered } from "@msp/registry";
import { peerAddressesOf, peerVariables } from "@msp/service-runtime";
import { openApiDocument, openApiOperations } from "./e2e-support";

const root = join(__dirname, "..", "..", "..");
const platformServices: readonly ServiceEntry[] = registered;
const descriptors = createFileRegistry(loadDescriptorSet());
const protoServices = [...descriptors].filter((t): t is DescService => t.kind === "service" && t.typeName.startsWith("msp."));
const protoPackages = [...new Set(protoServices.map((s) => s.file.proto.package))];

describe("the service registry", () => {
  it("gives every msp.* proto package exactly one owner, and names only packages that exist", () => {
    for (const protoPackage of protoPackages) {
      expect([protoPackage, platformServices.filter((s) => s.protoPackages.includes(protoPackage)).map((s) => s.name)]).toEqual([
        protoPackage,
        [ownerOfPackage(protoPackage)!.name],
      ]);
    }
    for (const service of platformServices) for (const p of service.protoPackages) expect(protoPackages).toContain(p);
    expect(new Set(platformServices.map((s) => s.name)).size).toBe(platformServices.length);
    expect(new Set(platformServices.map((s) => s.defaultPort)).size).toBe(platformServices.length);
  });

  it("makes npm start's process list: each service app's folder, entry and Nx project, the gateway last", () => {
    const processes = platformProcesses();
    expect(processes.map((p) => p.app)).toEqual([
      ...new Set([...platformServices.map((s) => s.app).filter((a) => a !== "gateway"), "gateway"]),
    ]);
    expect(processes.at(-1)).toMatchObject({ app: gatewayEntry.app, gateway: true, readyPrefix: "gateway listening on" });
    for (const proc of processes) {
      expect(existsSync(join(root, proc.entry))).toBe(true);
      const project = JSON.parse(readFileSync(join(root, "apps", proc.app, "project.json"), "utf8")) as { name: string; tags: string[] };
      expect(project).toMatchObject({ name: proc.app, tags: expect.arrayContaining(["type:app"]) });
      // A service's main.ts is mainOf(module): it prints "<registry name> listening on", which the stack waits for.
      if (!proc.gateway) expect(readFileSync(join(root, proc.entry), "utf8")).toMatch(/mainOf\(\w+\)/);
    }
    expect(processes.flatMap((p) => p.services.map((s) => s.name)).sort()).toEqual(platformServices.map((s) => s.name).sort());
  });

  it("makes the gateway's backends: every package at its service's addresses", () => {
    const peers = peerAddressesOf(peerVariables().parse({ RECALL_SERVICE_ADDRESSES: "10.0.0.5:7000, 10.0.0.6:7000" }));
    const backends = gatewayBackends(peers, "127.0.0.1:50050");
    expect(backends.map((b) => b.protoPackage).sort()).toEqual([...protoPackages].sort());
    for (const backend of backends) {
      const owner = ownerOfPackage(backend.protoPackage)!;
      const expected =
        owner.name === "identity"
          ? ["127.0.0.1:50050"]
          : owner.name === "recall-service"
            ? ["10.0.0.5:7000", "10.0.0.6:7000"]
            : [`127.0.0.1:${owner.defaultPort}`];
      expect([backend.protoPackage, backend.addresses]).toEqual([backend.protoPackage, expected]);
    }
  });

  it("makes the OpenAPI security of every operation from the policy its proto declares", () => {
    const doc = openApiDocument();
    const methods = new Map<string, string>(
      protoServices.flatMap((s) => s.methods.map((m) => [`${s.name}_${m.name}`, `/${s.typeName}/${m.name}`] as const)),
    );
    for (const op of openApiOperations(doc)) {
      const path = methods.get(op.operationId.replace(/_\d+$/, ""));
      expect([op.operationId, path !== undefined]).toEqual([op.operationId, true]);
      const policy = methodPolicy(path!);
      const security = doc.paths[op.template][op.method].security ?? doc.security;
      if (policy.access === "public") expect([op.operationId, security]).toEqual([op.operationId, []]);
      else expect([op.operationId, security]).toEqual([op.operationId, [{ bearerAuth: policy.scope === undefined ? [] : [policy.scope] }]]);
    }
  });

  it("covers every service app in the e2e project's dependencies (by the *-service name)", () => {
    const project = JSON.parse(readFileSync(join(root, "apps", "platform-e2e", "project.json"), "utf8")) as {
      implicitDependencies: string[];
    };
    expect(project.implicitDependencies).toEqual(expect.arrayContaining(["gateway", "*-service"]));
    for (const proc of platformProcesses()) if (!proc.gateway) expect(proc.app).toMatch(/-service$/);
  });

  it("is what the README's port table says", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const service of platformServices) {
      expect(readme).toContain(`| ${service.name} | ${service.app} | ${service.defaultPort} | \`${service.envPrefix}_PORT\` |`);
    }
    expect(readme).toContain(`| gateway (HTTP) | gateway | ${gatewayEntry.defaultPort} | \`GATEWAY_PORT\` |`);
  });
});

import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Principal } from "@msp/auth";
import type { PeerClients } from "@msp/service-client";
import { AssetStatus, MatchHostsResponseSchema } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { ChangeType } from "@msp/proto/src/gen/es/msp/infra/v1/infrastructure_change_pb";
import { createInfraHosts, HostBudgetExceeded } from "./infra-hosts";

const caller = { requestId: "req-1", auth: { username: "tech", role: "technician" } as unknown as Principal };
const query = { clientId: "01900000-0000-7000-8000-00000000c11e", texts: ["dc01"], limit: 3 };

/** Peers whose call answers `answer` (after `delayMs`), remembering the method and input. */
function fakePeers(answer: () => unknown, delayMs = 0) {
  const calls: Array<{ method: string; input: unknown }> = [];
  const peers = {
    call: (_ctx: unknown, method: { name: string }, input: unknown) => {
      calls.push({ method: method.name, input });
      return new Promise((resolve) => setTimeout(() => resolve(answer()), delayMs));
    },
    close: () => undefined,
  } as unknown as PeerClients;
  return { peers, calls };
}

describe("createInfraHosts", () => {
  it("calls MatchHosts and maps the answer to known hosts, enums by name", async () => {
    const response = create(MatchHostsResponseSchema, {
      hosts: [
        {
          asset: {
            id: "01900000-0000-7000-8000-0000000000D1",
            clientId: query.clientId,
            hostname: "dc01",
            ipAddress: "10.0.0.10",
            os: "Windows Server",
            osVersion: "2016",
            status: AssetStatus.MIGRATION_SOURCE,
            shellType: "powershell 5.1",
            hasGui: true,
            limitations: ["PowerShell 2.0 only"],
            aliases: ["ad"],
          },
          matchedBy: "hostname",
          matchedText: "dc01",
          services: [{ id: "s1", name: "AD DS", status: "running", infrastructureId: "x", hostname: "dc01" }],
          recentChanges: [
            {
              changeType: ChangeType.SERVICE_CONFIG,
              targetSystem: "DNS forwarders",
              afterState: "1.1.1.1",
              createdAt: timestampFromDate(new Date("2026-12-01T10:00:00Z")),
            },
          ],
        },
        { matchedBy: "hostname", matchedText: "ghost" },
      ],
    });
    const { peers, calls } = fakePeers(() => response);
    const hosts = await createInfraHosts(peers).matchHosts(caller, query);
    expect(calls).toEqual([{ method: "MatchHosts", input: { clientId: query.clientId, texts: ["dc01"], limit: 3 } }]);
    expect(hosts).toEqual([
      {
        id: "01900000-0000-7000-8000-0000000000d1",
        hostname: "dc01",
        ipAddress: "10.0.0.10",
        os: "Windows Server",
        osVersion: "2016",
        role: "",
        status: "migration_source",
        shellType: "powershell 5.1",
        packageManager: "",
        hasGui: true,
        limitations: ["PowerShell 2.0 only"],
        aliases: ["ad"],
        matchedBy: "hostname",
        matchedText: "dc01",
        services: [{ name: "AD DS", status: "running" }],
        recentChanges: [
          { changeType: "service_config", targetSystem: "DNS forwarders", afterState: "1.1.1.1", at: new Date("2026-12-01T10:00:00Z") },
        ],
      },
    ]);
  });

  it("gives up after its budget, without an unhandled rejection when the answer comes later", async () => {
    const { peers } = fakePeers(() => create(MatchHostsResponseSchema, {}), 200);
    await expect(createInfraHosts(peers, { budgetMs: 20 }).matchHosts(caller, query)).rejects.toBeInstanceOf(HostBudgetExceeded);
    await new Promise((resolve) => setTimeout(resolve, 250));
  });
});

import { credentials } from "@grpc/grpc-js";
import { ClientServiceClient, Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { runLoad } from "./load";
import { call } from "@msp/testing";
const c = new ClientServiceClient("127.0.0.1:50051", credentials.createInsecure());
void (async () => {
  const cl = await call(c, "createClient", { client: Client.fromPartial({ name: "gc" + Date.now() }) });
  const r = await runLoad(() => call(c, "getClient", { id: cl.id }), 1, 8);
  console.log("get c=1", r.perSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2));
  process.exit(0);
})();

import { startPlatform } from "./platform-stack";

async function main() {
  const p = await startPlatform();
  const t = await p.login();
  const show = async (m: string, path: string, o: Parameters<typeof p.api>[2] = {}) => {
    const r = await p.api(m, path, { token: t, ...o });
    console.log(m, path.slice(0, 100), r.status, JSON.stringify(r.json)?.slice(0, 300));
    return r;
  };
  const c = await show("POST", "/api/v1/clients", { body: { name: "Acme" } });
  const id = c.json.id;
  await show("GET", `/api/v1/clients/${id}`);
  await show("GET", `/api/v1/clients?pageSize=1&filter=${encodeURIComponent('name = "Acme"')}`);
  await show("PATCH", `/api/v1/clients/${id}?updateMask=notes`, { body: { notes: "x", etag: "bogus" } });
  await show("PATCH", `/api/v1/clients/${id}?updateMask=notes`, { body: { notes: "x", etag: c.json.etag } });
  await show("PATCH", `/api/v1/clients/${id}?updateMask=notes`, { body: { notes: "y", etag: c.json.etag } });
  await show("GET", `/api/v1/clients?pageToken=%%%garbage`);
  await show("GET", `/api/v1/clients?pageToken=abc`);
  await show("GET", `/api/v1/clients/not-a-uuid`);
  await show("GET", `/api/v1/clients/%E0%A4%A`);
  await show("GET", `/api/v1/clients/..%2F..%2Fetc`);
  await show("PUT", `/api/v1/clients`);
  await show("POST", `/api/v1/clients`, { raw: "x", headers: { "content-type": "text/plain" } });
  await show("POST", `/api/v1/auth:checkRevocation`, { body: { tokenId: "x" } });
  await show("POST", `/api/v1/auth/revoke`, { body: {} });
  await show("GET", `/api/v1/clients`);
  await show("POST", `/api/v1/users`, { body: { user: { username: "ro", role: "USER_ROLE_READONLY" }, password: "readonly-password-1" } });
  const r = await fetch(`${p.baseUrl}/msp.work.v1.ClientService/GetClient`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${await p.login()}` }, body: JSON.stringify({ id }) });
  console.log("connect", r.status, await r.text());
  const r2 = await fetch(`${p.baseUrl}/msp.work.v1.ClientService/GetClient`, { method: "POST", headers: { "content-type": "application/json" }, body: "garbage" });
  console.log("connect garbage", r2.status, await r2.text());
  await p.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });

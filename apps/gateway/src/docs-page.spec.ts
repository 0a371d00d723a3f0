import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { createDocsHandler, createOpenApiHandler } from "./docs-page";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const indentedDocument = `${JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "v1" }, paths: {} }, null, 2)}\n`;

let server: Server;
let port: number;

beforeAll(async () => {
  const docs = createDocsHandler({ openApiPath: "/api/openapi.json" });
  const openApi = createOpenApiHandler("/api/openapi.json", Buffer.from(indentedDocument));
  server = createServer((req, res) => {
    if (req.url?.startsWith("/only-docs/")) {
      req.url = req.url.slice("/only-docs".length);
      if (docs(req, res)) return;
    } else if (openApi(req, res) || docs(req, res)) return;
    res.writeHead(418, { "content-type": "text/plain" });
    res.end("not the docs");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

/** A raw request: the path goes out exactly as written (fetch would normalise `..` away). */
function call(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function assetUrls(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
}

describe("docs page", () => {
  it("serves an HTML page that loads Swagger UI from local assets, with a strict CSP and no inline script", async () => {
    const page = await call("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-cache");
    const csp = page.headers["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const html = page.body.toString("utf8");
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\/assets\//);
      expect(content?.trim()).toBe("");
    }
    const urls = assetUrls(html);
    expect(urls.every((url) => url.startsWith("/api/docs/assets/"))).toBe(true);
    expect(urls.some((url) => url.startsWith("/api/docs/assets/swagger-ui-bundle.js?v="))).toBe(true);
  });

  it("serves every asset the page names, with its content type, cached for good under its versioned URL", async () => {
    const html = (await call("/api/docs")).body.toString("utf8");
    const types: Record<string, string> = { css: "text/css", js: "text/javascript", png: "image/png" };
    for (const url of assetUrls(html)) {
      const answer = await call(url);
      const extension = /\.(\w+)\?/.exec(url)?.[1] ?? "";
      expect([url, answer.status]).toEqual([url, 200]);
      expect(answer.headers["content-type"]).toContain(types[extension]);
      expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
      expect(answer.body.length).toBeGreaterThan(0);
    }
  });

  it("points Swagger UI at the OpenAPI document it was given", async () => {
    const html = (await call("/api/docs")).body.toString("utf8");
    const init = assetUrls(html).find((url) => url.includes("docs-init.js"));
    const script = (await call(init ?? "")).body.toString("utf8");
    expect(script).toContain('url: "/api/openapi.json"');
    expect(script).toContain('dom_id: "#swagger-ui"');
    // Opens collapsed, without the long list of every schema, and with a filter box.
    expect(script).toContain('docExpansion: "none"');
    expect(script).toContain("defaultModelsExpandDepth: -1");
    expect(script).toContain("filter: true");
  });

  it("revalidates an unversioned asset URL and answers 304 to a matching etag", async () => {
    const first = await call("/api/docs/assets/swagger-ui.css");
    expect(first.status).toBe(200);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await call("/api/docs/assets/swagger-ui.css", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("gzips text assets for clients that accept it", async () => {
    const plain = await call("/api/docs/assets/swagger-ui-bundle.js");
    const gzipped = await call("/api/docs/assets/swagger-ui-bundle.js", { headers: { "accept-encoding": "br, gzip" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toBe("accept-encoding");
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    const refused = await call("/api/docs/assets/swagger-ui-bundle.js", { headers: { "accept-encoding": "gzip;q=0" } });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("answers HEAD without a body, refuses other methods, and redirects the trailing slash", async () => {
    const head = await call("/api/docs", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const post = await call("/api/docs", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    const slash = await call("/api/docs/?x=1");
    expect(slash.status).toBe(308);
    expect(slash.headers.location).toBe("/api/docs?x=1");
  });

  it("never serves a file outside its whitelist", async () => {
    const attempts = [
      "/api/docs/assets/../../../package.json",
      "/api/docs/assets/..%2f..%2f..%2fpackage.json",
      "/api/docs/assets/%2e%2e/%2e%2e/package.json",
      "/api/docs/assets/package.json",
      "/api/docs/assets/index.html",
      "/api/docs/assets/swagger-ui-bundle.js.map",
      "/api/docs/assets//etc/passwd",
      "/api/docs/assets/%2Fetc%2Fpasswd",
      "/api/docs/assets/swagger-ui.css%00.png",
    ];
    for (const path of attempts) {
      const answer = await call(path);
      expect([path, answer.status === 404 || answer.status === 418]).toEqual([path, true]);
      expect(answer.body.toString("utf8")).not.toMatch(/"name"|root:/);
    }
  });

  it("leaves every other path to the caller", async () => {
    for (const path of ["/", "/only-docs/api/openapi.json", "/api/docsx", "/api/v1/clients", "/api/docs-assets/x"]) {
      expect([path, (await call(path)).status]).toEqual([path, 418]);
    }
  });
});

describe("the OpenAPI document", () => {
  it("is served as compact JSON, the same document as the indented file", async () => {
    const answer = await call("/api/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(answer.body.toString("utf8")).toBe(JSON.stringify(JSON.parse(indentedDocument)));
  });

  it("is gzipped when the client accepts it, and answers 304 to its etag", async () => {
    const zipped = await call("/api/openapi.json", { headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(zipped.body).toString("utf8"))).toEqual(JSON.parse(indentedDocument));
    const again = await call("/api/openapi.json", { headers: { "if-none-match": String(zipped.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** Where the docs page lives; its assets are under `${docsPath}/assets/`. */
export const docsPath = "/api/docs";
const assetsPrefix = `${docsPath}/assets/`;

export interface DocsHandlerOptions {
  /** Where the gateway serves the OpenAPI document, such as "/api/openapi.json". */
  openApiPath: string;
}

/** A request handler that answers true when it served the request, false when the path is not its own. */
export type DocsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Compressed once, on first demand (the bundle is 1.7 MB, about 500 kB gzipped). */
  gzipped?: Buffer;
}

/** Files of swagger-ui-dist the page loads: the only files this handler can ever read. */
const packagedAssets: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

/** Served for `Content-Security-Policy`: no inline script anywhere, no third-party origin. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes on highlighted code; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // Fetches the document and, with "Try it out", calls the API on this same origin.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves the interactive API docs (Swagger UI, from the swagger-ui-dist package, no CDN) at
 * GET /api/docs, with its assets under /api/docs/assets/. Files are read once, at creation, so
 * a missing package stops start-up instead of the first visitor.
 */
export function createDocsHandler(options: DocsHandlerOptions): DocsHandler {
  const assets = new Map<string, Asset>();
  const packageDir = dirname(require.resolve("swagger-ui-dist/package.json"));
  for (const [name, type] of Object.entries(packagedAssets)) assets.set(name, asset(readFileSync(join(packageDir, name)), type));
  // The initializer is an asset too, so the page needs no inline script.
  assets.set("docs-init.js", asset(Buffer.from(initializerScript(options.openApiPath)), "text/javascript; charset=utf-8"));
  const page = asset(Buffer.from(pageHtml(assets)), "text/html; charset=utf-8");

  return (req, res) => {
    const path = pathnameOf(req.url);
    if (path === undefined) return false;
    if (path === `${docsPath}/`) {
      redirect(req, res, docsPath);
      return true;
    }
    if (path === docsPath) {
      serve(req, res, page, "no-cache", true);
      return true;
    }
    if (!path.startsWith(assetsPrefix)) return false;
    // An exact whitelist lookup: no part of the URL ever reaches the file system.
    const found = assets.get(path.slice(assetsPrefix.length));
    if (!found) {
      sendText(res, 404, "not found");
      return true;
    }
    // URLs from the page carry the content hash, so they can be cached for good; other URLs revalidate.
    const versioned = new URL(req.url ?? "/", "http://docs").searchParams.get("v") === found.etag.slice(1, -1);
    serve(req, res, found, versioned ? "public, max-age=31536000, immutable" : "no-cache", false);
    return true;
  };
}

/**
 * Serves the OpenAPI document at `path` as compact JSON (the committed file is indented for
 * readable diffs), gzipped when the client accepts it, revalidated by etag (304 when unchanged).
 */
export function createOpenApiHandler(path: string, document: Buffer): DocsHandler {
  const compact = asset(Buffer.from(JSON.stringify(JSON.parse(document.toString("utf8")))), "application/json; charset=utf-8");
  return (req, res) => {
    if (pathnameOf(req.url) !== path) return false;
    serve(req, res, compact, "no-cache", false);
    return true;
  };
}

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` };
}

function pathnameOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? "/", "http://docs").pathname;
  } catch {
    return undefined;
  }
}

function assetUrl(assets: ReadonlyMap<string, Asset>, name: string): string {
  const found = assets.get(name);
  if (!found) throw new Error(`docs page: no asset ${name}`);
  return `${assetsPrefix}${name}?v=${found.etag.slice(1, -1)}`;
}

function pageHtml(assets: ReadonlyMap<string, Asset>): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>MSP platform API</title>
    <link rel="stylesheet" href="${assetUrl(assets, "swagger-ui.css")}">
    <link rel="icon" type="image/png" href="${assetUrl(assets, "favicon-32x32.png")}" sizes="32x32">
    <link rel="icon" type="image/png" href="${assetUrl(assets, "favicon-16x16.png")}" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${assetUrl(assets, "swagger-ui-bundle.js")}"></script>
    <script src="${assetUrl(assets, "docs-init.js")}"></script>
  </body>
</html>
`;
}

function initializerScript(openApiPath: string): string {
  return `"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(openApiPath)},
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    // Opens as the list of services, each collapsed: rendering every operation of a document
    // this size at once takes seconds; an operation is drawn when its service is opened.
    docExpansion: "none",
    // No "Schemas" section below the operations (hundreds of them); each operation still shows its own.
    defaultModelsExpandDepth: -1,
    // A box to filter the services by name.
    filter: true,
  });
});
`;
}

function serve(req: IncomingMessage, res: ServerResponse, found: Asset, cacheControl: string, isPage: boolean): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    sendText(res, 405, "method not allowed");
    return;
  }
  const headers: Record<string, string | number> = {
    "content-type": found.type,
    "cache-control": cacheControl,
    etag: found.etag,
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  };
  if (isPage) {
    headers["content-security-policy"] = contentSecurityPolicy;
    headers["referrer-policy"] = "no-referrer";
    headers["x-frame-options"] = "DENY";
  }
  if (etagMatches(req.headers["if-none-match"], found.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = found.body;
  if (acceptsGzip(req.headers["accept-encoding"]) && !found.type.startsWith("image/")) {
    found.gzipped ??= gzipSync(found.body);
    body = found.gzipped;
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag || tag === "*");
}

/** True when Accept-Encoding lists gzip (or *) without q=0. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? "").split(",").some((entry) => {
    const [coding = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "*") && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function redirect(req: IncomingMessage, res: ServerResponse, location: string): void {
  const query = new URL(req.url ?? "/", "http://docs").search;
  res.writeHead(308, { location: `${location}${query}`, "content-length": 0 });
  res.end();
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  res.end(text);
}

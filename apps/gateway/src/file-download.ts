import type { ServerResponse } from "node:http";
import type { Message } from "@bufbuild/protobuf";
import type { FileDownload } from "@msp/proto/src/gen/es/msp/http/v1/download_pb";
import type { RestRoute } from "./rest-routes";

/** A media range's weight in an Accept header: its q, 1 by default; 0 when the header does not list it. */
function weightOf(accept: string, mediaType: string): number {
  let weight = 0;
  for (const part of accept.split(",")) {
    const [range = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    if (range !== mediaType) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    weight = Math.max(weight, Number.isFinite(value) ? value : 0);
  }
  return weight;
}

/**
 * Whether a request is answered with the file itself: on the route's file form (the path ending
 * in its suffix, such as .csv), or when Accept names the file's media type (text/csv) at least as
 * high as application/json. `*\/*` and no Accept keep the JSON form.
 */
export function wantsFile(route: RestRoute, accept: string | undefined): boolean {
  if (!route.download) return false;
  if (route.fileOnly) return true;
  if (!accept) return false;
  const file = weightOf(accept, route.download.mediaType.toLowerCase());
  return file > 0 && file >= weightOf(accept, "application/json");
}

/** The file a response message carries, read from the fields the option names. */
export function fileOf(download: FileDownload, message: Message): { content: string; contentType: string; filename: string } {
  const field = (name: string) => {
    const value = name === "" ? undefined : fieldValue(message, name);
    return typeof value === "string" ? value : "";
  };
  return {
    content: field(download.contentField),
    contentType: field(download.contentTypeField) || `${download.mediaType}; charset=utf-8`,
    filename: field(download.filenameField),
  };
}

/** A field of a message by its proto name (protobuf-es keeps fields under their camelCase local names). */
function fieldValue(message: Message, protoName: string): unknown {
  const local = protoName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return (message as unknown as Record<string, unknown>)[local];
}

/**
 * Content-Disposition for a download: the name as given in filename* (RFC 6266/5987, UTF-8), and
 * an ASCII form of it in filename for older clients; quotes, backslashes and control characters dropped.
 */
export function contentDisposition(filename: string): string {
  const clean = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, "").trim() || "download";
  const ascii = clean.replace(/[^\x20-\x7e]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** Sends a file in one piece, not cached. */
export function sendFile(res: ServerResponse, file: { content: string; contentType: string; filename: string }): void {
  if (res.headersSent) return;
  const body = Buffer.from(file.content, "utf8");
  res.writeHead(200, {
    "content-type": file.contentType,
    "content-disposition": contentDisposition(file.filename),
    "cache-control": "no-store",
    "content-length": body.length,
    vary: "Accept",
  });
  res.end(body);
}

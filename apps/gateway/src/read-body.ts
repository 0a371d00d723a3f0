import type { IncomingMessage } from "node:http";
import { HttpError, badRequest } from "./http-errors";

/**
 * Reads a request body as UTF-8, refusing bodies over the limit before reading them whole, and
 * bytes that are not UTF-8; `bodyField` is the request field the body fills (REST `body: "client"`),
 * the prefix of the field a refusal names.
 */
export function readBody(req: IncomingMessage, maxBytes: number, bodyField = ""): Promise<string> {
  const tooLarge = () => new HttpError(413, "payload_too_large", `request body larger than ${maxBytes} bytes`);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      try {
        resolve(decodeUtf8(Buffer.concat(chunks), bodyField));
      } catch (refusal) {
        reject(refusal as Error);
      }
    });
    req.on("error", reject);
  });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body's text, or a 400 when its bytes are not UTF-8 (RFC 8259 requires it of JSON). A lenient
 * decoding would store U+FFFD in place of the bad bytes: data altered without a word to the caller.
 * The refusal names the JSON field holding the bad bytes when the body parses once they are replaced.
 */
export function decodeUtf8(bytes: Uint8Array, bodyField = ""): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const field = fieldWithReplacement(Buffer.from(bytes).toString("utf8"), bodyField);
    throw field === undefined
      ? badRequest("the request body is not valid UTF-8")
      : badRequest(`${field}: not valid UTF-8 (send JSON encoded in UTF-8)`, field);
  }
}

/** The path (a.b[2].c) of the first key or string value holding U+FFFD in `text` parsed as JSON, if it parses. */
function fieldWithReplacement(text: string, bodyField: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const find = (value: unknown, path: string): string | undefined => {
    if (typeof value === "string") return value.includes("\uFFFD") ? path || bodyField || "body" : undefined;
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        const found = find(item, `${path}[${i}]`);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (typeof value !== "object" || value === null) return undefined;
    for (const [key, item] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.includes("\uFFFD")) return here;
      const found = find(item, here);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(json, bodyField);
}

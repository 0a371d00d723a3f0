import { CryptoError } from "./crypto-error";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Decodes RFC 4648 base32 as TOTP seeds are written: case-insensitive, with spaces and `=`
 * padding ignored, and trailing bits that do not fill a byte dropped. Throws `bad_input` on
 * any other character; the message gives its position, never the text, which may be a secret.
 */
export function base32Decode(text: string): Buffer {
  const symbols = text.replace(/[\s=]/g, "").toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let position = 0; position < symbols.length; position++) {
    const value = ALPHABET.indexOf(symbols.charAt(position));
    if (value < 0) {
      throw new CryptoError("bad_input", `invalid base32: character ${position + 1} (ignoring spaces and padding) is not in A-Z or 2-7`);
    }
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** Encodes bytes as unpadded upper-case RFC 4648 base32, as authenticator apps expect seeds. */
export function base32Encode(bytes: Buffer): string {
  let text = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  if (bits > 0) text += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return text;
}

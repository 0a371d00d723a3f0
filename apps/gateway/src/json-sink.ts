import { isUtf8 } from "node:buffer";
import type { OutputBuffers } from "./output-buffers";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How JSON.stringify escapes each byte it escapes: quote, backslash and the control characters. */
const escapes: (Buffer | undefined)[] = [];
for (let c = 0; c < 0x80; c++) {
  const json = JSON.stringify(String.fromCharCode(c));
  if (json.length > 3) escapes[c] = Buffer.from(json.slice(1, -1), "latin1");
}

/**
 * UTF-8 output written into one buffer leased from `buffers`, which doubles its capacity when
 * full. The result is a view of a leased buffer: give it back once it is sent.
 */
export class JsonSink {
  private buf: Buffer;
  private length = 0;

  constructor(
    capacity: number,
    private readonly buffers: OutputBuffers,
  ) {
    this.buf = buffers.take(Math.max(capacity, 64));
  }

  /** What was written: a view of the leased buffer. */
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Gives the buffer back unused (the writer fell back to another path). */
  discard(): void {
    this.buffers.giveBack(this.buf);
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.length++] = c;
  }

  /** Pre-encoded text, such as a field's key. */
  bytes(text: Uint8Array): void {
    this.reserve(text.length);
    this.buf.set(text, this.length);
    this.length += text.length;
  }

  /** Text known to be ASCII, such as a number. */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    const { buf } = this;
    let at = this.length;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.length = at;
  }

  utf8(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.buf.write(text, this.length, "utf8");
  }

  /** `value` in decimal, with leading zeros up to `width` digits. */
  digits(value: number, width: number): void {
    this.reserve(width);
    const { buf } = this;
    for (let at = this.length + width - 1; at >= this.length; at--) {
      buf[at] = 0x30 + (value % 10);
      value = Math.floor(value / 10);
    }
    this.length += width;
  }

  /**
   * `src[start, end)`, UTF-8 text, as a JSON string: copied as it is but for the characters
   * JSON.stringify escapes (quote, backslash, control characters), escaped the same way. Returns
   * false, having written nothing, when it is not valid UTF-8.
   */
  string(src: Uint8Array, start: number, end: number): boolean {
    const mark = this.length;
    this.reserve(end - start + 2);
    let { buf } = this;
    let at = this.length;
    buf[at++] = QUOTE;
    let high = 0;
    let escaping = false;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      high |= c;
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
        buf[at++] = c;
        continue;
      }
      const escape = escapes[c]!;
      if (!escaping) {
        // Room for the rest at its worst, every byte escaped, so the loop need not check again.
        this.length = at;
        this.reserve(6 * (end - i) + 1);
        buf = this.buf;
        escaping = true;
      }
      for (let k = 0; k < escape.length; k++) buf[at++] = escape[k]!;
    }
    if (high >= 0x80 && !isUtf8(src.subarray(start, end))) {
      this.length = mark;
      return false;
    }
    buf[at++] = QUOTE;
    this.length = at;
    return true;
  }

  private reserve(n: number): void {
    const needed = this.length + n;
    if (needed <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = this.buffers.take(capacity);
    this.buf.copy(grown, 0, 0, this.length);
    this.buffers.giveBack(this.buf);
    this.buf = grown;
  }
}

/**
 * Writes protobuf wire format into one growing buffer, in a single pass: a nested message's
 * length is written when the message ends (its bytes move right in the rare case the length
 * needs more than the one byte kept for it). Built for large responses encoded straight from
 * stored rows (a session's timeline: thousands of records), where building message objects
 * first, sizing them and encoding them costs several times more.
 */
export class ProtoSink {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** The bytes written so far (a view of the sink's buffer: write nothing more after taking it). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A string field (UTF-8), written whatever its value: callers leave out what proto3 omits. */
  string(fieldNumber: number, value: string): void {
    this.tag(fieldNumber, 2);
    // 42 UTF-16 units take at most 126 bytes: their length fits one byte without measuring.
    const bytes = value.length <= 42 ? -1 : Buffer.byteLength(value);
    if (bytes < 0) {
      this.ensure(1 + value.length * 3);
      const written = this.buf.write(value, this.pos + 1);
      this.buf[this.pos] = written;
      this.pos += 1 + written;
    } else {
      this.varint32(bytes);
      this.ensure(bytes);
      this.pos += this.buf.write(value, this.pos);
    }
  }

  /** A varint field of a non-negative or negative 32-bit integer, a bool or an enum. */
  int32(fieldNumber: number, value: number): void {
    this.tag(fieldNumber, 0);
    if (value >= 0) this.varint32(value);
    else this.varint64(BigInt(value));
  }

  /** A varint field of a 64-bit integer. */
  int64(fieldNumber: number, value: bigint | number): void {
    this.tag(fieldNumber, 0);
    if (typeof value === "number" && value >= 0 && value <= 0xffffffff) this.varint32(value);
    else this.varint64(BigInt(value));
  }

  /** A google.protobuf.Timestamp field of an instant in milliseconds since the epoch. */
  timestamp(fieldNumber: number, ms: number): void {
    const seconds = Math.floor(ms / 1000);
    const nanos = (ms - seconds * 1000) * 1_000_000;
    const start = this.begin(fieldNumber);
    if (seconds !== 0) this.int64(1, seconds);
    if (nanos !== 0) this.int32(2, nanos);
    this.end(start);
  }

  /**
   * Starts a nested message field; returns the mark `end` takes. Nested messages must end in
   * the reverse order they began.
   */
  begin(fieldNumber: number): number {
    this.tag(fieldNumber, 2);
    this.ensure(1);
    this.pos += 1;
    return this.pos;
  }

  /** Ends the nested message begun at `mark`, writing its length before it. */
  end(mark: number): void {
    const length = this.pos - mark;
    if (length < 0x80) {
      this.buf[mark - 1] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(mark + extra, mark, this.pos);
    this.pos += extra;
    let at = mark - 1;
    let rest = length;
    while (rest >= 0x80) {
      this.buf[at++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buf[at] = rest;
  }

  private tag(fieldNumber: number, wireType: number): void {
    this.varint32(fieldNumber * 8 + wireType);
  }

  private varint32(value: number): void {
    this.ensure(5);
    let rest = value >>> 0;
    while (rest >= 0x80) {
      this.buf[this.pos++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    this.buf[this.pos++] = rest;
  }

  /** Two's complement, as protobuf writes negative int32 and every int64: up to ten bytes. */
  private varint64(value: bigint): void {
    this.ensure(10);
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

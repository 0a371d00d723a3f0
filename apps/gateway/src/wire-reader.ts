/** Thrown on anything the JSON writer does not expect; its caller then asks protobuf-es instead. */
export class Fallback extends Error {}

/**
 * Reads protobuf wire values in place from one buffer: callers move `pos` themselves to read a
 * value recorded earlier, and a nested message is read from the same buffer between two positions.
 */
export class WireReader {
  pos = 0;
  /** The high 32 bits of the last 64-bit value read, varint or fixed. */
  hi = 0;
  private readonly view: DataView;

  constructor(readonly buf: Buffer) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The low 32 bits of a varint; its high 32 bits are left in `hi`. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let b: number;
    for (let shift = 0; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.hi = 0;
        return lo >>> 0;
      }
    }
    b = this.byte();
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x70) >> 4;
    if ((b & 0x80) === 0) {
      this.hi = hi >>> 0;
      return lo >>> 0;
    }
    for (let shift = 3; shift <= 31; shift += 7) {
      b = this.byte();
      hi |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    throw new Fallback("varint too long");
  }

  /** A varint known to fit 32 bits (tags, lengths); a larger one keeps its low bits. */
  varint32(): number {
    const { buf, pos } = this;
    if (pos < buf.length) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint();
  }

  /** The start of a length-delimited value; `pos` is left at its end. */
  delimited(): number {
    return this.skip(this.varint32());
  }

  /** A little-endian 32-bit value, unsigned. */
  fixed32(): number {
    return this.view.getUint32(this.skip(4), true);
  }

  /** A little-endian 64-bit value's low 32 bits; its high 32 bits are left in `hi`. */
  fixed64(): number {
    const at = this.skip(8);
    this.hi = this.view.getUint32(at + 4, true);
    return this.view.getUint32(at, true);
  }

  float(): number {
    return this.view.getFloat32(this.skip(4), true);
  }

  double(): number {
    return this.view.getFloat64(this.skip(8), true);
  }

  /** Moves past `n` bytes and returns where they start. */
  skip(n: number): number {
    const start = this.pos;
    if (n < 0 || start + n > this.buf.length) throw new Fallback("truncated");
    this.pos = start + n;
    return start;
  }

  /**
   * A field's tag: its number times 8 plus its wire type. Tags protobuf-es refuses (field number 0,
   * wire type 6 or 7, more than 32 bits) are left to it.
   */
  tag(): number {
    const start = this.pos;
    const tag = this.varint32();
    const length = this.pos - start;
    if (tag < 8 || (tag & 7) > 5 || length > 5 || (length === 5 && this.buf[this.pos - 1]! > 0x0f)) throw new Fallback("illegal tag");
    return tag;
  }

  /** Moves past a value of wire type `wireType` (its tag read). Groups, unused in proto3, are left to protobuf-es. */
  skipValue(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.skip(8);
        return;
      case 2:
        this.skip(this.varint32());
        return;
      case 5:
        this.skip(4);
        return;
      default:
        throw new Fallback(`wire type ${wireType}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Fallback("truncated");
    return this.buf[this.pos++]!;
  }
}

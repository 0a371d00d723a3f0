import { OutputBuffers } from "./output-buffers";

describe("OutputBuffers", () => {
  it("reuses a buffer given back, through any view of it, and the smallest one that fits", () => {
    const pool = new OutputBuffers(4, 1 << 20);
    const small = pool.take(70_000);
    const large = pool.take(300_000);
    pool.giveBack(small.subarray(0, 10));
    pool.giveBack(large.subarray(5, 100));
    expect(pool.take(20_000).buffer).toBe(small.buffer);
    expect(pool.take(20_000).buffer).toBe(large.buffer);
    expect(pool.take(20_000).buffer).not.toBe(small.buffer);
  });

  it("never hands out a buffer twice: one given back twice, or never leased, is ignored", () => {
    const pool = new OutputBuffers(4, 1 << 20);
    const leased = pool.take(100_000);
    pool.giveBack(leased);
    pool.giveBack(leased);
    pool.giveBack(Buffer.from("not from the pool"));
    const first = pool.take(100_000);
    const second = pool.take(100_000);
    expect(first.buffer).toBe(leased.buffer);
    expect(second.buffer).not.toBe(leased.buffer);
  });

  it("keeps at most maxKept buffers, the largest, and none over maxKeptBytes", () => {
    const pool = new OutputBuffers(2, 1 << 20);
    const sizes = [100_000, 200_000, 300_000, 2 << 20];
    const buffers = sizes.map((size) => pool.take(size));
    for (const buffer of buffers) pool.giveBack(buffer);
    expect(pool.take(250_000).buffer).toBe(buffers[2]!.buffer);
    expect(pool.take(150_000).buffer).toBe(buffers[1]!.buffer);
    const fresh = pool.take(20_000);
    expect(buffers.some((b) => b.buffer === fresh.buffer)).toBe(false);
  });

  it("leaves small buffers to Node's slab: never pooled, never handed out twice", () => {
    const pool = new OutputBuffers(4, 1 << 20);
    const small = pool.take(300);
    expect(small.length).toBe(300);
    pool.giveBack(small);
    const again = pool.take(300);
    expect(again.buffer === small.buffer && again.byteOffset === small.byteOffset).toBe(false);
  });
});

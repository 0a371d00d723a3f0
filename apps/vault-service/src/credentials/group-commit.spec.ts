import type { BatchWriter } from "./group-commit";
import { GroupCommit } from "./group-commit";

/** A writer that records its batches; `failBatch` and `failAlone` say which items make a write fail. */
function recordingWriter(options: { failBatch?: (items: readonly number[]) => "statement" | "commit" | undefined; failAlone?: number[] }) {
  const batches: number[][] = [];
  const alone: number[] = [];
  const writer: BatchWriter<number, string> = {
    async writeBatch(items, committing) {
      batches.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const failure = options.failBatch?.(items);
      if (failure === "statement") throw new Error("a statement failed");
      committing();
      if (failure === "commit") throw new Error("the commit failed");
      return items.map((item) => `batched ${item}`);
    },
    async writeAlone(item) {
      alone.push(item);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (options.failAlone?.includes(item)) throw new Error(`item ${item} is bad`);
      return `alone ${item}`;
    },
  };
  return { writer, batches, alone };
}

const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

describe("GroupCommit", () => {
  it("writes items that arrive together in one batch, and those that arrive meanwhile in the next", async () => {
    const batches: number[][] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstStarted = () => {};
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const group = new GroupCommit<number, string>({
      async writeBatch(items, committing) {
        batches.push([...items]);
        firstStarted();
        await held;
        committing();
        return items.map((item) => `batched ${item}`);
      },
      writeAlone: (item) => Promise.resolve(`alone ${item}`),
    });
    const first = [1, 2, 3].map((n) => group.submit(n));
    await started;
    // Arrive while the first batch is being written.
    const second = [4, 5].map((n) => group.submit(n));
    release();
    expect(await Promise.all([...first, ...second])).toEqual(["batched 1", "batched 2", "batched 3", "batched 4", "batched 5"]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("writes a lone item by itself", async () => {
    const { writer, batches, alone } = recordingWriter({});
    expect(await new GroupCommit(writer).submit(7)).toBe("alone 7");
    expect(batches).toEqual([]);
    expect(alone).toEqual([7]);
  });

  it("keeps batches to maxBatch items", async () => {
    const { writer, batches } = recordingWriter({});
    const group = new GroupCommit(writer, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.submit(n)));
    expect(batches.map((b) => b.length)).toEqual([2, 2]);
  });

  it("after a failed statement, writes each item alone: only the bad one's caller fails", async () => {
    const { writer, alone } = recordingWriter({
      failBatch: (items) => (items.includes(2) ? "statement" : undefined),
      failAlone: [2],
    });
    const group = new GroupCommit(writer);
    const results = await settled([1, 2, 3].map((n) => group.submit(n)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results[0]).toEqual({ status: "fulfilled", value: "alone 1" });
    expect(results[1]).toMatchObject({ status: "rejected", reason: new Error("item 2 is bad") });
    expect(alone).toEqual([1, 2, 3]);
  });

  it("after a failed commit (outcome unknown), fails every caller and writes nothing again", async () => {
    const { writer, alone } = recordingWriter({ failBatch: () => "commit" });
    const group = new GroupCommit(writer);
    const results = await settled([1, 2].map((n) => group.submit(n)));
    expect(results).toEqual([
      { status: "rejected", reason: new Error("the commit failed") },
      { status: "rejected", reason: new Error("the commit failed") },
    ]);
    expect(alone).toEqual([]);
    // The next items are written as usual.
    expect(await group.submit(9)).toBe("alone 9");
  });
});

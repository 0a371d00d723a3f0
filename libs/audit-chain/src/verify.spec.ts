import { eventTextOf } from "./canonical";
import { appendEvents } from "./chain";
import { signCheckpoint } from "./checkpoint";
import type { ChainEvent, Checkpoint } from "./event";
import {
  anchorAt,
  chainOf,
  checkpointsOf,
  hmacKey,
  otherHmacKey,
  otherSigningKeys,
  signingKeys,
  verifyChain,
  withEvent,
  type FeedOptions,
} from "./spec-fixtures";
import { ChainVerifier } from "./verify";
import type { VerifyProblem, VerifyResult } from "./verify-result";

const events = chainOf(3000);
const checkpoints = checkpointsOf(events, 1000);
const feeds: FeedOptions[] = [
  { checkpointsWhen: "before" },
  { checkpointsWhen: "after" },
  { checkpointsWhen: "interleaved", pageSize: 700 },
  { checkpointsWhen: "before", pageSize: 1 },
];

function expectFailure(result: VerifyResult, seq: number, problem: VerifyProblem): void {
  expect(result.failure && { seq: result.failure.seq, problem: result.failure.problem }).toEqual({ seq, problem });
  expect(result.ok).toBe(false);
}

/** Rows keep their seq but exchange every other column, as a swap in the database would. */
function swapContents(chain: readonly ChainEvent[], a: number, b: number): ChainEvent[] {
  const copy = chain.map((e) => ({ ...e }));
  const rowA = copy[a - 1]!;
  const rowB = copy[b - 1]!;
  copy[a - 1] = { ...rowB, seq: a };
  copy[b - 1] = { ...rowA, seq: b };
  return copy;
}

describe("ChainVerifier on an intact chain", () => {
  it.each(feeds)("verifies 3,000 events and their checkpoints (%o)", (feed) => {
    const result = verifyChain(events, checkpoints, feed);
    expect(result).toEqual({
      ok: true,
      checkedEvents: 3000,
      checkedCheckpoints: 3,
      firstSeq: 1,
      lastSeq: 3000,
      lastCheckpointSeq: 3000,
      failure: null,
      unanchoredEvents: 0,
    });
  });

  it("verifies 1,000 events", () => {
    const chain = events.slice(0, 1000);
    expect(verifyChain(chain, checkpointsOf(chain, 1000))).toMatchObject({ ok: true, checkedEvents: 1000, checkedCheckpoints: 1 });
  });

  it("verifies 100,000 events appended in batches", () => {
    let chain: ChainEvent[] = [];
    for (let batch = 0; batch < 100; batch++) {
      const last = chain[chain.length - 1];
      const head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: "0".repeat(64) };
      const next = appendEvents(
        hmacKey,
        head,
        chainOf(1000).map(({ seq: _seq, prevHash: _prev, hash: _hash, ...e }) => e),
      );
      chain = chain.concat(next);
    }
    const result = verifyChain(chain, checkpointsOf(chain, 1000), { pageSize: 5000 });
    expect(result).toMatchObject({ ok: true, checkedEvents: 100_000, checkedCheckpoints: 100, lastSeq: 100_000 });
  });

  it("counts the events after the last checkpoint as unanchored", () => {
    const result = verifyChain(events.slice(0, 2500), checkpoints.slice(0, 2));
    expect(result).toMatchObject({ ok: true, lastCheckpointSeq: 2000, unanchoredEvents: 500 });
  });

  it("verifies an empty chain", () => {
    expect(verifyChain([], [])).toMatchObject({ ok: true, checkedEvents: 0, firstSeq: null, lastSeq: null, unanchoredEvents: 0 });
  });

  it("keeps accepting pages until something fails", () => {
    const verifier = new ChainVerifier({ hmacKey, publicKey: signingKeys.publicKey, anchor: null });
    expect(verifier.addEvents(events.slice(0, 10))).toBe(true);
    expect(verifier.addEvents(withEvent(events.slice(10, 20), 15, (e) => ({ ...e, outcome: "x" })))).toBe(false);
    expect(verifier.addEvents(events.slice(20, 30))).toBe(false);
    expect(verifier.finish()).toMatchObject({ checkedEvents: 14, lastSeq: 14, failure: { seq: 15, problem: "hash_mismatch" } });
  });
});

describe("ChainVerifier on a tampered chain", () => {
  it.each(feeds)("editing one field of one event is a hash_mismatch at its seq (%o)", (feed) => {
    const tampered = withEvent(events, 1234, (e) => ({ ...e, principal: "user:someone-else" }));
    const result = verifyChain(tampered, checkpoints, feed);
    expectFailure(result, 1234, "hash_mismatch");
    expect(result.failure?.detail).toContain("altered");
    expect(result).toMatchObject({ checkedEvents: 1233, lastSeq: 1233 });
  });

  it("editing the stored hash is a hash_mismatch at that event", () => {
    expectFailure(
      verifyChain(
        withEvent(events, 77, (e) => ({ ...e, hash: "f".repeat(64) })),
        checkpoints,
      ),
      77,
      "hash_mismatch",
    );
  });

  it("an invalid occurredAt is a hash_mismatch, not an exception", () => {
    const result = verifyChain(
      withEvent(events, 5, (e) => ({ ...e, occurredAt: new Date(NaN) })),
      checkpoints,
    );
    expectFailure(result, 5, "hash_mismatch");
    expect(result.failure?.detail).toContain("occurredAt");
  });

  it.each(feeds)("deleting one event is a seq_gap at its seq (%o)", (feed) => {
    const result = verifyChain(
      events.filter((e) => e.seq !== 1234),
      checkpoints,
      feed,
    );
    expectFailure(result, 1234, "seq_gap");
    expect(result.failure?.detail).toContain("event 1234 is missing");
  });

  it("deleting several events names the range", () => {
    const result = verifyChain(
      events.filter((e) => e.seq < 100 || e.seq > 105),
      checkpoints,
    );
    expectFailure(result, 100, "seq_gap");
    expect(result.failure?.detail).toContain("events 100 to 105 are missing");
  });

  it.each(feeds)("deleting one event and renumbering the rest is a broken_link at its seq (%o)", (feed) => {
    const renumbered = events.filter((e) => e.seq !== 1234).map((e) => (e.seq > 1234 ? { ...e, seq: e.seq - 1 } : e));
    const result = verifyChain(renumbered, checkpoints, feed);
    expectFailure(result, 1234, "broken_link");
    expect(result.failure?.detail).toContain("does not link to event 1233");
  });

  it.each([
    [1234, 1235],
    [1234, 1240],
    [999, 1000],
  ])("swapping the contents of rows %i and %i is reported as reordered at the lower seq", (a, b) => {
    for (const feed of feeds.slice(0, 3)) {
      const result = verifyChain(swapContents(events, a, b), checkpoints, feed);
      expectFailure(result, a, "reordered");
    }
  });

  it("a page verified in slices looks ahead over the whole page, as in one piece", () => {
    const swapped = swapContents(events, 1234, 1240);
    const inSlices = new ChainVerifier({ hmacKey, publicKey: signingKeys.publicKey, anchor: null, maxEventsBetweenCheckpoints: 1000 });
    inSlices.addCheckpoints(checkpoints);
    const texts = swapped.map(eventTextOf);
    for (let from = 0; from < texts.length; from += 3) {
      if (!inSlices.addEventTexts(texts, from, Math.min(texts.length, from + 3))) break;
    }
    const whole = verifyChain(swapped, checkpoints, { pageSize: 3000 });
    expectFailure(whole, 1234, "reordered");
    expect(inSlices.finish()).toEqual(whole);
  });

  it("a swap across pages still fails at the lower seq", () => {
    const result = verifyChain(swapContents(events, 100, 2900), checkpoints, { pageSize: 500 });
    expect(result.failure?.seq).toBe(100);
    expect(["reordered", "broken_link"]).toContain(result.failure?.problem);
  });

  it("events fed out of order are reordered at the first seq out of place", () => {
    const shuffled = [...events];
    [shuffled[1233], shuffled[1234]] = [shuffled[1234]!, shuffled[1233]!];
    const result = verifyChain(shuffled, checkpoints, { pageSize: 1000 });
    expectFailure(result, 1234, "reordered");
    expect(result.failure?.detail).toContain("seq 1234 came after seq 1235");
  });

  it("an event fed twice is reordered", () => {
    const repeated = [...events.slice(0, 50), events[48]!, ...events.slice(50)];
    const result = verifyChain(repeated, checkpoints);
    expectFailure(result, 49, "reordered");
    expect(result.failure?.detail).toContain("seq 49 came after seq 50");
  });

  it("a copy of an earlier event in place of a later one is reordered", () => {
    const copied = events.map((e) => (e.seq === 300 ? { ...events[99]!, seq: 300 } : e));
    const result = verifyChain(copied, checkpoints);
    expectFailure(result, 300, "reordered");
    expect(result.failure?.detail).toContain("links to event 99");
  });

  it("the wrong HMAC key fails at the first event and says the key may be wrong", () => {
    const result = verifyChain(events, checkpoints, { hmacKey: otherHmacKey });
    expectFailure(result, 1, "hash_mismatch");
    expect(result.failure?.detail).toContain("HMAC key is wrong");
    expect(result.checkedEvents).toBe(0);
  });

  it("a chain re-hashed by someone holding the HMAC key is caught by the next checkpoint", () => {
    const rewritten = appendEvents(
      hmacKey,
      { seq: 1499, hash: events[1498]!.hash },
      events
        .slice(1499)
        .map(({ seq: _seq, prevHash: _prev, hash: _hash, ...e }) => (e.id === "evt-1500" ? { ...e, outcome: "ok (edited)" } : e)),
    );
    const chain = [...events.slice(0, 1499), ...rewritten];
    for (const feed of feeds) {
      const result = verifyChain(chain, checkpoints, feed);
      expectFailure(result, 2000, "checkpoint_mismatch");
      expect(result.checkedCheckpoints).toBe(1);
    }
  });
});

describe("ChainVerifier on tampered checkpoints", () => {
  function withCheckpoint(seq: number, change: (cp: Checkpoint) => Checkpoint): Checkpoint[] {
    return checkpoints.map((cp) => (cp.seq === seq ? change({ ...cp }) : cp));
  }

  it.each(feeds)("editing a checkpoint's hash or signedAt is a bad_signature at its seq (%o)", (feed) => {
    const edits = [
      withCheckpoint(2000, (cp) => ({ ...cp, hash: events[1998]!.hash })),
      withCheckpoint(2000, (cp) => ({ ...cp, signedAt: new Date(cp.signedAt.getTime() + 1) })),
      withCheckpoint(2000, (cp) => ({ ...cp, signature: "garbage" })),
    ];
    for (const edited of edits) expectFailure(verifyChain(events, edited, feed), 2000, "bad_signature");
  });

  it("checkpoints signed with another key are a bad_signature at the first", () => {
    expectFailure(verifyChain(events, checkpoints, { publicKey: otherSigningKeys.publicKey }), 1000, "bad_signature");
  });

  it.each(feeds)("deleting a checkpoint is a missing_checkpoint at its seq (%o)", (feed) => {
    for (const deleted of [1000, 2000]) {
      const result = verifyChain(
        events,
        checkpoints.filter((cp) => cp.seq !== deleted),
        { ...feed, maxEventsBetweenCheckpoints: undefined },
      );
      expectFailure(result, deleted, "missing_checkpoint");
      expect(result.failure?.detail).toContain(`checkpoint ${deleted}, which is missing`);
    }
  });

  it("checkpoints further apart than allowed are a missing_checkpoint", () => {
    const sparse = [
      signCheckpoint(signingKeys.privateKey, { seq: 1000, hash: events[999]!.hash, signedAt: new Date(), prevSeq: 0 }),
      signCheckpoint(signingKeys.privateKey, { seq: 2500, hash: events[2499]!.hash, signedAt: new Date(), prevSeq: 1000 }),
    ];
    expectFailure(verifyChain(events, sparse), 2000, "missing_checkpoint");
    expect(verifyChain(events, sparse, { maxEventsBetweenCheckpoints: 1500 }).ok).toBe(true);
    expect(verifyChain(events, sparse, { maxEventsBetweenCheckpoints: undefined }).ok).toBe(true);
  });

  it("a first checkpoint too far from the first event is a missing_checkpoint", () => {
    const late = [signCheckpoint(signingKeys.privateKey, { seq: 1500, hash: events[1499]!.hash, signedAt: new Date(), prevSeq: 0 })];
    expectFailure(verifyChain(events, late), 1000, "missing_checkpoint");
  });

  it.each(feeds)("events truncated after a checkpoint are missing_events (%o)", (feed) => {
    const result = verifyChain(
      events.filter((e) => e.seq <= 2500),
      checkpoints,
      feed,
    );
    expectFailure(result, 2501, "missing_events");
    expect(result.failure?.detail).toContain("checkpoint 3000");
  });

  it("events short of the expected last seq are missing_events", () => {
    expectFailure(verifyChain(events.slice(0, 2999), checkpoints.slice(0, 2), { expectedLastSeq: 3000 }), 3000, "missing_events");
  });

  it("reports the lowest failure whatever the order things were fed in", () => {
    const eventBroken = withEvent(events, 1500, (e) => ({ ...e, action: "other" }));
    const lowCheckpointBroken = withCheckpoint(1000, (cp) => ({ ...cp, signature: "garbage" }));
    const highCheckpointBroken = withCheckpoint(2000, (cp) => ({ ...cp, signature: "garbage" }));
    for (const feed of feeds) {
      expectFailure(verifyChain(eventBroken, lowCheckpointBroken, feed), 1000, "bad_signature");
      expectFailure(verifyChain(eventBroken, highCheckpointBroken, feed), 1500, "hash_mismatch");
    }
  });

  it("two different checkpoints for one seq are a checkpoint_mismatch", () => {
    const other = signCheckpoint(signingKeys.privateKey, { seq: 1000, hash: events[999]!.hash, signedAt: new Date(0), prevSeq: 0 });
    expectFailure(verifyChain(events, [...checkpoints, other]), 1000, "checkpoint_mismatch");
    expect(verifyChain(events, [...checkpoints, { ...checkpoints[0]! }]).ok).toBe(true);
  });
});

describe("ChainVerifier with an anchor", () => {
  const kept = events.slice(1000);
  const anchor = anchorAt(events, 1000);

  it.each(feeds)("verifies a pruned chain from its anchor, with the kept checkpoint (%o)", (feed) => {
    const result = verifyChain(kept, checkpoints, { ...feed, anchor });
    expect(result).toMatchObject({ ok: true, checkedEvents: 2000, checkedCheckpoints: 3, firstSeq: 1001, lastSeq: 3000 });
  });

  it("verifies a range starting mid-chain from the hash before it", () => {
    const result = verifyChain(events.slice(1499), checkpoints.slice(1), { anchor: anchorAt(events, 1499) });
    expect(result).toMatchObject({ ok: true, checkedEvents: 1501, firstSeq: 1500, checkedCheckpoints: 2 });
  });

  it("a wrong anchor hash is a broken_link at the first event", () => {
    const result = verifyChain(kept, checkpoints.slice(1), { anchor: { seq: 1000, hash: events[998]!.hash } });
    expectFailure(result, 1001, "broken_link");
    expect(result.failure?.detail).toContain("the anchor");
  });

  it("a wrong anchor seq fails at the start", () => {
    expectFailure(verifyChain(kept, checkpoints.slice(1), { anchor: { seq: 999, hash: anchor.hash } }), 1000, "seq_gap");
    expectFailure(verifyChain(kept, checkpoints.slice(1), { anchor: { seq: 1001, hash: anchor.hash } }), 1001, "reordered");
  });

  it("a kept checkpoint that does not match the anchor is a checkpoint_mismatch", () => {
    const wrongAnchor = signCheckpoint(signingKeys.privateKey, { seq: 1000, hash: events[998]!.hash, signedAt: new Date(), prevSeq: 0 });
    const result = verifyChain(kept, [wrongAnchor, ...checkpoints.slice(1)], { anchor });
    expectFailure(result, 1000, "checkpoint_mismatch");
  });

  it("a first checkpoint pointing inside the range at a checkpoint not given is a missing_checkpoint", () => {
    expectFailure(verifyChain(kept, checkpoints.slice(2), { anchor, maxEventsBetweenCheckpoints: undefined }), 2000, "missing_checkpoint");
  });

  it("refuses a malformed anchor or options", () => {
    const publicKey = signingKeys.publicKey;
    expect(() => new ChainVerifier({ hmacKey, publicKey, anchor: { seq: 1, hash: "x" } })).toThrow(TypeError);
    expect(() => new ChainVerifier({ hmacKey, publicKey: signingKeys.privateKey, anchor: null })).toThrow(/public KeyObject/);
    expect(() => new ChainVerifier({ hmacKey: Buffer.alloc(8), publicKey, anchor: null })).toThrow(/32-byte/);
    expect(() => new ChainVerifier({ hmacKey, publicKey, anchor: null, maxEventsBetweenCheckpoints: 0 })).toThrow(TypeError);
  });
});

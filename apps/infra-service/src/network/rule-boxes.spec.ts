import { seededRandom } from "./firewall-fixtures";
import type { Box } from "./rule-boxes";
import { BoundsTable, boundsOf, boxContains, boxesIntersect, boxSetCovered, boxSetsIntersect, newBox, subtractBox } from "./rule-boxes";

/** Coordinates run from 0 to 4 in every dimension, so every point of a box can be listed. */
const side = 5;

function randomBox(random: () => number, version = 4): Box {
  const interval = (): [number, number] => {
    const a = Math.floor(random() * side);
    const b = Math.floor(random() * side);
    return [Math.min(a, b), Math.max(a, b)];
  };
  const [sLo, sHi] = interval();
  const [dLo, dHi] = interval();
  const [pLo, pHi] = interval();
  const [qLo, qHi] = interval();
  return newBox(version, BigInt(sLo), BigInt(sHi), BigInt(dLo), BigInt(dHi), pLo, pHi, qLo, qHi);
}

/** Every point of a box, as "s d p q". */
function points(box: Box): string[] {
  const out: string[] = [];
  for (let s = box.sLo; s <= box.sHi; s++) {
    for (let d = box.dLo; d <= box.dHi; d++) {
      for (let p = box.pLo; p <= box.pHi; p++) for (let q = box.qLo; q <= box.qHi; q++) out.push(`${s} ${d} ${p} ${q}`);
    }
  }
  return out;
}

describe("boxes", () => {
  it("intersect and contain exactly as their points say", () => {
    const random = seededRandom(11);
    for (let round = 0; round < 2000; round++) {
      const a = randomBox(random);
      const b = randomBox(random);
      const inB = new Set(points(b));
      expect(boxesIntersect(a, b)).toBe(points(a).some((point) => inB.has(point)));
      expect(boxContains(b, a)).toBe(points(a).every((point) => inB.has(point)));
    }
  });

  it("never meet across IP versions", () => {
    const a = newBox(4, 0n, 10n, 0n, 10n, 0, 3, 0, 65535);
    const b = newBox(6, 0n, 10n, 0n, 10n, 0, 3, 0, 65535);
    expect(boxesIntersect(a, b)).toBe(false);
    expect(boxContains(a, b)).toBe(false);
  });

  it("subtract into disjoint pieces holding exactly the points of one box outside the other", () => {
    const random = seededRandom(12);
    for (let round = 0; round < 2000; round++) {
      const a = randomBox(random);
      const b = randomBox(random);
      if (!boxesIntersect(a, b)) continue;
      const pieces: Box[] = [];
      subtractBox(a, b, pieces);
      expect(pieces.length).toBeLessThanOrEqual(8);
      const inB = new Set(points(b));
      const expected = points(a).filter((point) => !inB.has(point));
      const got = pieces.flatMap(points);
      expect(got.sort()).toEqual(expected.sort());
    }
  });

  it("compare large addresses exactly where their Numbers are equal", () => {
    const base = 0x20010db8000000000000000000000000n;
    const a = newBox(6, base, base, 0n, 0n, 0, 0, 0, 0);
    const b = newBox(6, base + 1n, base + 1n, 0n, 0n, 0, 0, 0, 0);
    expect(a.sLoN).toBe(b.sLoN);
    expect(boxesIntersect(a, b)).toBe(false);
    const both = newBox(6, base, base + 1n, 0n, 0n, 0, 0, 0, 0);
    expect(boxContains(both, a)).toBe(true);
    expect(boxContains(a, both)).toBe(false);
    const pieces: Box[] = [];
    subtractBox(both, a, pieces);
    expect(pieces.map((piece) => [piece.sLo, piece.sHi])).toEqual([[base + 1n, base + 1n]]);
  });
});

describe("covering a set of boxes", () => {
  it("agrees with listing points, on random sets", () => {
    const random = seededRandom(13);
    const answers = new Set<boolean | "unknown">();
    for (let round = 0; round < 1500; round++) {
      const own = Array.from({ length: 1 + Math.floor(random() * 2) }, () => randomBox(random));
      const others = Array.from({ length: Math.floor(random() * 8) }, () => randomBox(random));
      const covered = new Set(others.flatMap(points));
      const expected = own.flatMap(points).every((point) => covered.has(point));
      const answer = boxSetCovered(own, others, 10_000);
      answers.add(answer);
      expect(answer).toBe(expected);
    }
    expect([...answers].sort()).toEqual([false, true]);
  });

  it('answers "unknown" when the remainder outgrows the limit', () => {
    const own = [newBox(4, 0n, 9n, 0n, 9n, 0, 0, 0, 0)];
    const others = [newBox(4, 0n, 4n, 0n, 9n, 0, 0, 0, 0), newBox(4, 5n, 9n, 0n, 9n, 0, 0, 0, 0)];
    expect(boxSetCovered(own, others, 10)).toBe(true);
    expect(boxSetCovered(own, others, 0)).toBe("unknown");
  });
});

describe("bounds", () => {
  it("never rule out sets that meet", () => {
    const random = seededRandom(14);
    const sets = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomBox(random, random() < 0.8 ? 4 : 6)),
    );
    const table = new BoundsTable(sets.length);
    for (const set of sets) table.add(boundsOf(set));
    for (const set of sets.slice(0, 50)) {
      const meeting = new Set(table.meeting(boundsOf(set)));
      sets.forEach((other, index) => {
        if (boxSetsIntersect(set, other)) expect(meeting.has(index)).toBe(true);
      });
    }
    expect(new BoundsTable(1).meeting(boundsOf([]))).toEqual([]);
  });
});

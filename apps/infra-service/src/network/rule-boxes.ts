/**
 * Boxes of firewall traffic: one IP version, and a source address interval x destination address
 * interval x protocol interval x port interval, all bounds included. Addresses are BigInts, and
 * each bound also keeps its value as a Number: converting is monotonic, so when the Numbers differ
 * they order the BigInts too, and most comparisons never touch a BigInt.
 */
export class Box {
  readonly sLoN: number;
  readonly sHiN: number;
  readonly dLoN: number;
  readonly dHiN: number;
  /** log2 of the number of points in the box, roughly: for ordering boxes by size. */
  readonly logVolume: number;

  constructor(
    readonly version: number,
    readonly sLo: bigint,
    readonly sHi: bigint,
    readonly dLo: bigint,
    readonly dHi: bigint,
    readonly pLo: number,
    readonly pHi: number,
    readonly qLo: number,
    readonly qHi: number,
  ) {
    this.sLoN = Number(sLo);
    this.sHiN = Number(sHi);
    this.dLoN = Number(dLo);
    this.dHiN = Number(dHi);
    this.logVolume =
      Math.log2(this.sHiN - this.sLoN + 1) + Math.log2(this.dHiN - this.dLoN + 1) + Math.log2(pHi - pLo + 1) + Math.log2(qHi - qLo + 1);
  }
}

/** A box of one IP version from its bounds: source, destination, protocol, port. */
export function newBox(
  version: number,
  sLo: bigint,
  sHi: bigint,
  dLo: bigint,
  dHi: bigint,
  pLo: number,
  pHi: number,
  qLo: number,
  qHi: number,
): Box {
  return new Box(version, sLo, sHi, dLo, dHi, pLo, pHi, qLo, qHi);
}

/** a <= b for BigInts with their Numbers: the Numbers decide unless they are equal. */
function atMost(a: bigint, aN: number, b: bigint, bN: number): boolean {
  return aN < bN || (aN === bN && a <= b);
}

/** True when the boxes share a point; the Number dimensions are compared first, as they are cheap. */
export function boxesIntersect(a: Box, b: Box): boolean {
  return (
    a.version === b.version &&
    a.pLo <= b.pHi &&
    b.pLo <= a.pHi &&
    a.qLo <= b.qHi &&
    b.qLo <= a.qHi &&
    atMost(a.sLo, a.sLoN, b.sHi, b.sHiN) &&
    atMost(b.sLo, b.sLoN, a.sHi, a.sHiN) &&
    atMost(a.dLo, a.dLoN, b.dHi, b.dHiN) &&
    atMost(b.dLo, b.dLoN, a.dHi, a.dHiN)
  );
}

/** True when every point of `inner` is in `outer`. */
export function boxContains(outer: Box, inner: Box): boolean {
  return (
    outer.version === inner.version &&
    outer.pLo <= inner.pLo &&
    inner.pHi <= outer.pHi &&
    outer.qLo <= inner.qLo &&
    inner.qHi <= outer.qHi &&
    atMost(outer.sLo, outer.sLoN, inner.sLo, inner.sLoN) &&
    atMost(inner.sHi, inner.sHiN, outer.sHi, outer.sHiN) &&
    atMost(outer.dLo, outer.dLoN, inner.dLo, inner.dLoN) &&
    atMost(inner.dHi, inner.dHiN, outer.dHi, outer.dHiN)
  );
}

/**
 * Where a set of boxes lies, in Numbers only: a bit for each IP version and protocol, and the
 * smallest and largest port, source and destination. Sets whose bounds do not meet share no point.
 */
export interface Bounds {
  mask: number;
  qLo: number;
  qHi: number;
  sLo: number;
  sHi: number;
  dLo: number;
  dHi: number;
}

/** The bounds of a set of boxes; an empty set has a mask of 0, so meets nothing. */
export function boundsOf(boxes: readonly Box[]): Bounds {
  const bounds: Bounds = { mask: 0, qLo: Infinity, qHi: -Infinity, sLo: Infinity, sHi: -Infinity, dLo: Infinity, dHi: -Infinity };
  for (const box of boxes) {
    for (let protocol = box.pLo; protocol <= box.pHi; protocol++) bounds.mask |= 1 << (protocol + (box.version === 4 ? 0 : 8));
    bounds.qLo = Math.min(bounds.qLo, box.qLo);
    bounds.qHi = Math.max(bounds.qHi, box.qHi);
    bounds.sLo = Math.min(bounds.sLo, box.sLoN);
    bounds.sHi = Math.max(bounds.sHi, box.sHiN);
    bounds.dLo = Math.min(bounds.dLo, box.dLoN);
    bounds.dHi = Math.max(bounds.dHi, box.dHiN);
  }
  return bounds;
}

/** Bounds of many box sets in flat arrays, to find quickly the sets that may meet another one. */
export class BoundsTable {
  private readonly masks: Int32Array;
  private readonly values: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.masks = new Int32Array(capacity);
    this.values = new Float64Array(capacity * 6);
  }

  /** Adds the bounds of the next set; sets are numbered from 0 in the order they are added. */
  add(bounds: Bounds): void {
    const at = this.size * 6;
    this.masks[this.size] = bounds.mask;
    this.values.set([bounds.qLo, bounds.qHi, bounds.sLo, bounds.sHi, bounds.dLo, bounds.dHi], at);
    this.size++;
  }

  /** The numbers, in order, of the sets added whose bounds meet `bounds` (they may share a point). */
  meeting(bounds: Bounds): number[] {
    const { masks, values } = this;
    const { mask, qLo, qHi, sLo, sHi, dLo, dHi } = bounds;
    const found: number[] = [];
    for (let i = 0, at = 0; i < this.size; i++, at += 6) {
      if ((masks[i]! & mask) === 0) continue;
      if (
        values[at]! > qHi ||
        qLo > values[at + 1]! ||
        values[at + 2]! > sHi ||
        sLo > values[at + 3]! ||
        values[at + 4]! > dHi ||
        dLo > values[at + 5]!
      )
        continue;
      found.push(i);
    }
    return found;
  }
}

/** True when some box of `a` and some box of `b` share a point. */
export function boxSetsIntersect(a: readonly Box[], b: readonly Box[]): boolean {
  for (const boxA of a) {
    for (const boxB of b) if (boxesIntersect(boxA, boxB)) return true;
  }
  return false;
}

/**
 * True when the union of `others` covers every box of `own`; "unknown" when the remainder grew
 * past `maxPieces` pieces before that was settled. Cheap answers first: every box inside one
 * other box (covered), or a corner or the middle of a box outside every other box (not
 * covered); otherwise the other boxes are subtracted, largest first, until nothing is left or
 * they run out.
 */
export function boxSetCovered(own: readonly Box[], others: readonly Box[], maxPieces: number): boolean | "unknown" {
  const meeting = others.filter((other) => own.some((box) => boxesIntersect(box, other)));
  let remainder = own.filter((box) => !meeting.some((other) => boxContains(other, box)));
  if (remainder.length === 0) return true;
  for (const box of remainder) {
    for (const point of witnessPoints(box)) if (!meeting.some((other) => boxContains(other, point))) return false;
  }
  meeting.sort((a, b) => b.logVolume - a.logVolume);
  for (const other of meeting) {
    const next: Box[] = [];
    for (const piece of remainder) {
      if (boxesIntersect(piece, other)) subtractBox(piece, other, next);
      else next.push(piece);
    }
    remainder = next;
    if (remainder.length === 0) return true;
    if (remainder.length > maxPieces) return "unknown";
  }
  return false;
}

/** The low corner, the high corner and the middle of a box, as one-point boxes. */
function witnessPoints(box: Box): Box[] {
  const sMid = box.sLo + (box.sHi - box.sLo) / 2n;
  const dMid = box.dLo + (box.dHi - box.dLo) / 2n;
  const pMid = Math.floor((box.pLo + box.pHi) / 2);
  const qMid = Math.floor((box.qLo + box.qHi) / 2);
  return [
    new Box(box.version, box.sLo, box.sLo, box.dLo, box.dLo, box.pLo, box.pLo, box.qLo, box.qLo),
    new Box(box.version, box.sHi, box.sHi, box.dHi, box.dHi, box.pHi, box.pHi, box.qHi, box.qHi),
    new Box(box.version, sMid, sMid, dMid, dMid, pMid, pMid, qMid, qMid),
  ];
}

/**
 * Appends to `out` the pieces of `a` outside `b` (which must intersect it): disjoint boxes, at most
 * two per dimension, cut protocol first, then port, source and destination.
 */
export function subtractBox(a: Box, b: Box, out: Box[]): void {
  const v = a.version;
  let { pLo, pHi, qLo, qHi, sLo, sHi } = a;
  const { dLo, dHi } = a;
  if (pLo < b.pLo) out.push(new Box(v, sLo, sHi, dLo, dHi, pLo, b.pLo - 1, qLo, qHi));
  if (pHi > b.pHi) out.push(new Box(v, sLo, sHi, dLo, dHi, b.pHi + 1, pHi, qLo, qHi));
  pLo = Math.max(pLo, b.pLo);
  pHi = Math.min(pHi, b.pHi);
  if (qLo < b.qLo) out.push(new Box(v, sLo, sHi, dLo, dHi, pLo, pHi, qLo, b.qLo - 1));
  if (qHi > b.qHi) out.push(new Box(v, sLo, sHi, dLo, dHi, pLo, pHi, b.qHi + 1, qHi));
  qLo = Math.max(qLo, b.qLo);
  qHi = Math.min(qHi, b.qHi);
  if (sLo < b.sLo) out.push(new Box(v, sLo, b.sLo - 1n, dLo, dHi, pLo, pHi, qLo, qHi));
  if (sHi > b.sHi) out.push(new Box(v, b.sHi + 1n, sHi, dLo, dHi, pLo, pHi, qLo, qHi));
  if (sLo < b.sLo) sLo = b.sLo;
  if (sHi > b.sHi) sHi = b.sHi;
  if (dLo < b.dLo) out.push(new Box(v, sLo, sHi, dLo, b.dLo - 1n, pLo, pHi, qLo, qHi));
  if (dHi > b.dHi) out.push(new Box(v, sLo, sHi, b.dHi + 1n, dHi, pLo, pHi, qLo, qHi));
}

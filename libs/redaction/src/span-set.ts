/** A half-open range of text, [start, end). */
export interface TextRange {
  start: number;
  end: number;
}

/** Non-overlapping ranges kept sorted by start, to ask quickly whether a new one would overlap. */
export class RangeSet<T extends TextRange> {
  private readonly ranges: T[] = [];

  /** Adds `range` unless it overlaps one already held; says whether it was added. */
  add(range: T): boolean {
    const index = this.firstEndingAfter(range.start);
    const next = this.ranges[index];
    if (next !== undefined && next.start < range.end) return false;
    this.ranges.splice(index, 0, range);
    return true;
  }

  overlaps(start: number, end: number): boolean {
    const next = this.ranges[this.firstEndingAfter(start)];
    return next !== undefined && next.start < end;
  }

  toArray(): readonly T[] {
    return this.ranges;
  }

  /** Index of the first range whose end lies after `position`. */
  private firstEndingAfter(position: number): number {
    let low = 0;
    let high = this.ranges.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.ranges[middle]?.end ?? 0) <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/**
 * Records of one table, in insertion order (a doubly linked list: O(1) append and unlink, and
 * cursors keep a reference to their record). Each record keeps its committed versions (for
 * snapshot readers) and the uncommitted entries of at most one writer (its write lock).
 */
import type { ColumnValue } from '../api';

/** A record image, indexed by column ordinal; a missing slot reads as NULL. */
export type Values = ColumnValue[];

/** A committed image; values null means the record was deleted at that commit. */
export interface Version {
  readonly ts: number;
  readonly values: Values | null;
}

/**
 * An uncommitted image of the writer at one transaction level (a write lock's image is the record as
 * it was: it commits like a write of that image, which is what makes it conflict).
 */
export interface Entry {
  level: number;
  values: Values | null;
}

/** Anything that owns uncommitted entries (a session); kept opaque here. */
export interface Writer {
  readonly kind: 'session';
}

export class Rec {
  prev: Rec | null = null;
  next: Rec | null = null;
  /** Unlinked from its table: nobody can see it any more. */
  removed = false;
  versions: Version[] = [];
  writer: Writer | null = null;
  /** Uncommitted entries of `writer`, one per level at most, ascending level. */
  stack: Entry[] = [];

  constructor(
    readonly list: RecordList,
    readonly seq: number,
  ) {}

  top(): Entry | undefined {
    return this.stack[this.stack.length - 1];
  }

  lastVersion(): Version | undefined {
    return this.versions[this.versions.length - 1];
  }
}

export class RecordList {
  head: Rec | null = null;
  tail: Rec | null = null;
  private seq = 0;

  append(): Rec {
    const r = new Rec(this, ++this.seq);
    r.prev = this.tail;
    if (this.tail) this.tail.next = r;
    else this.head = r;
    this.tail = r;
    return r;
  }

  /** Unlinks r; its own prev/next stay so that a cursor on it can still move on. */
  unlink(r: Rec): void {
    if (r.removed) return;
    r.removed = true;
    if (r.prev) r.prev.next = r.next;
    else this.head = r.next;
    if (r.next) r.next.prev = r.prev;
    else this.tail = r.prev;
  }

  /** The first linked record after r in insertion order (r may be unlinked). */
  after(r: Rec): Rec | null {
    if (!r.removed) return r.next;
    let n = r.next;
    while (n && n.removed) n = n.next;
    if (n) return n;
    // r was the tail when unlinked: records appended since are found from the tail.
    let found: Rec | null = null;
    for (let t = this.tail; t && t.seq > r.seq; t = t.prev) found = t;
    return found;
  }

  /** The last linked record before r in insertion order (r may be unlinked). */
  before(r: Rec): Rec | null {
    if (!r.removed) return r.prev;
    let p = r.prev;
    while (p && p.removed) p = p.prev;
    return p;
  }
}

/**
 * Opaque handles (JET_INSTANCE, JET_SESID, JET_TABLEID): pointer-sized values, as ESENT's are.
 *
 * Every handle is a 64-bit value issued from one counter per process state, so a handle of any
 * kind can be passed in any slot and is recognised (or rejected) by what it points to, like
 * ESENT's resource-manager validation (ese-source-notes.md §2.0). Values are never reused within
 * a process state: a freed handle stays invalid until `reset` (a legal ESENT-like choice; ESENT
 * may recycle PIB memory, see ES-HANDLE-CLOSED).
 */

declare const handleBrand: unique symbol;

/** A handle value. Branded so that a plain bigint cannot be passed by accident. */
export type JET_HANDLE = bigint & { readonly [handleBrand]: 'JET_HANDLE' };

/** Handles the tests forge without asking the engine to issue them. */
export type ForgedKind = 'nil' | 'zero' | 'never-issued';

/** All ones at pointer width 64: JET_sesidNil, JET_instanceNil, JET_tableidNil. */
export const JET_handleNil = 0xffff_ffff_ffff_ffffn as JET_HANDLE;
export const JET_handleZero = 0n as JET_HANDLE;
/** Below the first issued value, so it is guaranteed never to be issued. */
export const JET_handleNeverIssued = 0x8n as JET_HANDLE;

const firstIssued = 0x10000n;
const stride = 0x40n;

export function forgedHandle(kind: ForgedKind): JET_HANDLE {
  switch (kind) {
    case 'nil':
      return JET_handleNil;
    case 'zero':
      return JET_handleZero;
    case 'never-issued':
      return JET_handleNeverIssued;
  }
}

/** '0x1a2b' form, as the adapter interface carries handles. */
export function formatHandle(h: JET_HANDLE): string {
  return '0x' + h.toString(16);
}

/** Parses '0x…' as formatHandle writes it (or decimal); anything else maps to the never-issued handle. */
export function parseHandle(text: string): JET_HANDLE {
  if (/^0x[0-9a-f]+$/i.test(text) || /^\d+$/.test(text)) {
    const v = BigInt(text);
    if (v <= 0xffff_ffff_ffff_ffffn) return v as JET_HANDLE;
  }
  return JET_handleNeverIssued;
}

/** Whatever a handle points to; `kind` tells the resource type (resid). */
export interface HandleTarget {
  readonly kind: 'instance' | 'session' | 'cursor';
}

/** The live handles of one process state. */
export class HandleTable<T extends HandleTarget> {
  private next = firstIssued;
  private readonly live = new Map<bigint, T>();

  issue(target: T): JET_HANDLE {
    const h = this.next as JET_HANDLE;
    this.next += stride;
    this.live.set(h, target);
    return h;
  }

  get(h: JET_HANDLE): T | undefined {
    return this.live.get(h);
  }

  free(h: JET_HANDLE): void {
    this.live.delete(h);
  }
}

/**
 * Handles compared by role: every handle an implementation issues gets a symbolic name (i1, s1,
 * c1) in issue order, and each side (the reference and the implementation under test) keeps its
 * own raw value for that name. Calls are written with names and resolved per side, so two
 * implementations that number their handles differently still agree.
 *
 * A role is live, dead (the reference says its object is gone, but its handle may still be
 * passed: ES-HANDLE-CLOSED, ES-INVALID-SESID) or retired: once a new handle is issued, dead
 * handles are never passed again, since ESENT may recycle their memory for the new one.
 */
import type { ApiCall, ForgedHandleKind, Handle, OperationName } from '../api';

export type RoleKind = 'instance' | 'session' | 'cursor';
export type RoleStatus = 'live' | 'dead' | 'retired';

export interface Role {
  readonly name: string;
  readonly kind: RoleKind;
  /** The raw handle the reference issued, and the one the implementation under test issued. */
  readonly model: Handle;
  readonly sut: Handle;
  status: RoleStatus;
}

/** What stands in a handle slot of a symbolic call: a role, a forged handle, or NULL. */
export type HandleRef = { readonly role: string } | { readonly forged: ForgedHandleKind } | null;

/** Argument slots that carry handles (as in harness/call-syntax.ts). */
export const handleSlots: ReadonlySet<string> = new Set(['instance', 'sesid', 'tableid']);

/** A call with roles in its handle slots: what the fuzzer generates, records and writes as Gherkin. */
export interface SymCall {
  readonly op: OperationName;
  readonly args: Readonly<Record<string, unknown>>;
}

const prefixes: Record<RoleKind, string> = { instance: 'i', session: 's', cursor: 'c' };

export function isRoleRef(v: unknown): v is { readonly role: string } {
  return v !== null && typeof v === 'object' && typeof (v as { role?: unknown }).role === 'string';
}

export class RoleTable {
  private readonly roles = new Map<string, Role>();
  private readonly counters: Record<RoleKind, number> = { instance: 0, session: 0, cursor: 0 };

  get(name: string): Role {
    const r = this.roles.get(name);
    if (r === undefined) throw new Error(`fuzzer: no role named ${name}`);
    return r;
  }

  all(): IterableIterator<Role> {
    return this.roles.values();
  }

  /** The live (not retired) role whose implementation-side handle is `sut`, if any. */
  liveWithSutHandle(sut: Handle): Role | undefined {
    for (const r of this.roles.values()) if (r.status === 'live' && r.sut === sut) return r;
    return undefined;
  }

  /** Names the next handle of a kind, in issue order. */
  bind(kind: RoleKind, model: Handle, sut: Handle): Role {
    const name = `${prefixes[kind]}${++this.counters[kind]}`;
    const role: Role = { name, kind, model, sut, status: 'live' };
    this.roles.set(name, role);
    return role;
  }

  /** Resolves a symbolic call for one side. */
  resolve(call: SymCall, side: 'model' | 'sut'): ApiCall {
    const args: Record<string, unknown> = {};
    for (const [slot, v] of Object.entries(call.args)) {
      if (!handleSlots.has(slot)) args[slot] = v;
      else if (v === null) args[slot] = null;
      else if (isRoleRef(v)) args[slot] = this.get(v.role)[side];
      else args[slot] = v;
    }
    return { op: call.op, args } as ApiCall;
  }
}

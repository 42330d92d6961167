/**
 * The reference engine making the other legal choices where ESENT allows more than one result:
 * its own handle values, dbids and column ids, more sessions and cursors than the limits declare
 * (ESENT's slack), and the warning JET_wrnTableInUseBySystem for a DenyRead open. An implementation
 * that does this conforms, so every scenario must still pass against it.
 */
import type { ApiCall, ArgsOf, CallResult, HandleArg, Implementation, OperationName } from '../../adapters/types';
import { createReferenceImplementation } from '../../adapters/reference';
import { WrappedImplementation } from '../../mutants/wrap';

const handleKeys = new Set(['sesid', 'tableid', 'instance']);
const sessionSlack = 5;
const cursorSlack = 7;
const dbidShift = 3;
const columnidShift = 1000;
const paramMaxSessions = 5;
const paramMaxCursors = 8;

export class LegalChoices extends WrappedImplementation {
  private readonly toInner = new Map<string, string>();
  private readonly toOuter = new Map<string, string>();
  private readonly declared = new Map<string, Map<number, number>>();

  constructor(inner: Implementation = createReferenceImplementation()) {
    super(inner, 'legal-choices');
  }

  override async reset() {
    this.toInner.clear();
    this.toOuter.clear();
    this.declared.clear();
    return this.inner.reset();
  }

  private outer(h: string): string {
    let o = this.toOuter.get(h);
    if (o === undefined) {
      // Another shape of handle altogether: the suite must treat handles as opaque.
      o = `H-${(this.toOuter.size * 7919 + 17).toString(36)}`;
      this.toOuter.set(h, o);
      this.toInner.set(o, h);
    }
    return o;
  }

  private inArgs(args: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      if (handleKeys.has(k) && typeof v === 'string') out[k] = this.toInner.get(v) ?? v;
      else if (k === 'dbid' && typeof v === 'number') out[k] = v - dbidShift;
      else if (k === 'columnid' && typeof v === 'number') out[k] = v - columnidShift;
      else out[k] = v;
    }
    return out;
  }

  private outResult<O extends OperationName>(r: CallResult<O>): CallResult<O> {
    if (r.kind !== 'returned' || r.out === undefined) return r;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.out)) {
      if (handleKeys.has(k) && typeof v === 'string') out[k] = this.outer(v);
      else if (k === 'dbid' && typeof v === 'number') out[k] = v + dbidShift;
      else if (k === 'columnid' && typeof v === 'number') out[k] = v + columnidShift;
      else if (k === 'columnids' && Array.isArray(v)) out[k] = v.map((c: number) => c + columnidShift);
      else out[k] = v;
    }
    return { ...r, out } as CallResult<O>;
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const inner = this.inArgs(args) as ArgsOf<O>;
    if (op === 'JetSetSystemParameter') {
      const a = inner as ArgsOf<'JetSetSystemParameter'>;
      if (typeof a.instance === 'string' && (a.paramid === paramMaxSessions || a.paramid === paramMaxCursors)) {
        const m = this.declared.get(a.instance) ?? new Map<number, number>();
        m.set(a.paramid, a.lParam);
        this.declared.set(a.instance, m);
      }
    }
    if (op === 'JetInit') {
      // The limits, with ESENT-like slack: at least what was declared.
      const instance = (inner as ArgsOf<'JetInit'>).instance;
      const m = typeof instance === 'string' ? this.declared.get(instance) : undefined;
      await this.inner.call(thread, 'JetSetSystemParameter', { instance, sesid: null, paramid: paramMaxSessions, lParam: (m?.get(paramMaxSessions) ?? 16) + sessionSlack });
      await this.inner.call(thread, 'JetSetSystemParameter', { instance, sesid: null, paramid: paramMaxCursors, lParam: (m?.get(paramMaxCursors) ?? 1024) + cursorSlack });
    }
    const r = this.outResult(await this.inner.call(thread, op, inner));
    if (op === 'JetOpenTable' && r.kind === 'returned' && r.err === 0 && ((inner as ArgsOf<'JetOpenTable'>).grbit & 0x2) !== 0) {
      return { ...r, err: 1327 };
    }
    return r;
  }

  override async hold(thread: string, call: ApiCall) {
    return super.hold(thread, { op: call.op, args: this.inArgs(call.args) } as ApiCall);
  }

  override async release(hold: string) {
    return this.outResult(await super.release(hold));
  }

  override async forceInstanceState(instance: HandleArg, state: Parameters<NonNullable<Implementation['forceInstanceState']>>[1]) {
    return super.forceInstanceState(typeof instance === 'string' ? (this.toInner.get(instance) ?? instance) : instance, state);
  }
}

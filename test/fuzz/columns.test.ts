/**
 * Column ids are the implementation's to choose, like handles: the fuzzer compares them by role.
 * An implementation that numbers columns 1, 2, 3... per table (examples/python-adapter does) agrees
 * with the reference (128, 129... for fixed columns, 256... for tagged ones); one that hands out
 * the id of an existing column, or a wrong number of temp-table column ids, diverges.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createReferenceImplementation } from '../../adapters/reference';
import type { ArgsOf, CallResult, Implementation, OperationName } from '../../adapters/types';
import { fuzz } from '../../fuzz/campaign';
import { columnIdProblem } from '../../fuzz/pair';
import { traceLines } from '../../fuzz/print';
import { WrappedImplementation } from '../../mutants/wrap';

/**
 * The reference behind a renumbering of column ids: each new column gets the next id of a
 * process-wide counter starting at `first` (so ids differ from the reference's and across
 * tables); ids in arguments are mapped back. `reuse` hands out the previous column's id again.
 */
class RenumberedColumns extends WrappedImplementation {
  private next: number;
  private readonly toInner = new Map<number, number>();
  private readonly toOuter = new Map<number, number>();

  constructor(inner: Implementation, private readonly first: number, private readonly reuse = false) {
    super(inner, 'renumbered-columns');
    this.next = first;
  }

  override async reset() {
    this.next = this.first;
    this.toInner.clear();
    this.toOuter.clear();
    return super.reset();
  }

  private outer(id: number): number {
    let o = this.toOuter.get(id);
    if (o === undefined) {
      o = this.reuse && this.next > this.first ? this.next - 1 : this.next++;
      this.toOuter.set(id, o);
      if (!this.toInner.has(o)) this.toInner.set(o, id);
    }
    return o;
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Record<string, unknown>;
    const mapped = typeof a.columnid === 'number' && this.toInner.has(a.columnid) ? { ...a, columnid: this.toInner.get(a.columnid) } : a;
    const r = await this.inner.call(thread, op, mapped as ArgsOf<O>);
    if (r.kind !== 'returned' || r.out === undefined) return r;
    const out = { ...(r.out as Record<string, unknown>) };
    if (typeof out.columnid === 'number') out.columnid = this.outer(out.columnid);
    if (Array.isArray(out.columnids)) out.columnids = (out.columnids as number[]).map((id) => this.outer(id));
    return { ...r, out } as CallResult<O>;
  }
}

test('column ids are compared by role: an implementation numbering columns from 1 does not diverge', async () => {
  for (const seed of [1, 2, 3]) {
    const r = await fuzz({ sut: new RenumberedColumns(createReferenceImplementation(), 1), seed, runs: 60, maxSteps: 40 });
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.finding, undefined, r.finding && traceLines(r.finding.trace).join('\n'));
  }
});

test('an implementation that hands out an existing column id again diverges', async () => {
  const r = await fuzz({ sut: new RenumberedColumns(createReferenceImplementation(), 1, true), seed: 1, runs: 200, maxSteps: 40 });
  assert.ok(r.finding, 'found');
  assert.match(r.finding.divergence.message, /(columnid \d+ is the id of another column of the same table|repeats a column id|JetRetrieveColumn|JetSetColumn)/);
});

test('columnIdProblem: a whole number new for its table; a temp table\'s ids as many as the reference\'s, distinct', () => {
  assert.equal(columnIdProblem('columnid', 128, 2, [1]), undefined);
  assert.match(columnIdProblem('columnid', 128, 1, [1]) ?? '', /another column/);
  assert.match(columnIdProblem('columnid', 128, 'x', []) ?? '', /not a column id/);
  assert.equal(columnIdProblem('columnids', [1, 2], [7, 9], []), undefined);
  assert.match(columnIdProblem('columnids', [1, 2], [7], []) ?? '', /expected 2 column ids/);
  assert.match(columnIdProblem('columnids', [1, 2], [7, 7], []) ?? '', /repeats/);
});

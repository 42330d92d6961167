/**
 * Call-level steps: any operation with any arguments, in the syntax of harness/call-syntax.ts. The
 * fuzzer writes its findings with these; scenarios use them where no ESE-worded step fits.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { describeErr, requireErr } from '../harness/codes';
import { parseCall, parseValueText } from '../harness/call-syntax';
import { isDeepStrictEqual } from 'node:util';
import { ConformanceFailure, FaultError, RefusedUse, SuiteError } from '../harness/errors';
import type { CallResult } from '../adapters/types';
import { then, type Maybe } from '../harness/maybe';
import { glue, type EseWorld } from './world';

/** How long a started call may take once it is awaited (a JetTerm2 that never returns is a TIMEOUT). */
const awaitTimeoutMs = 10_000;

/** Saves out-values under names: "sesid as s1", "tableid as c1 and columnids as cols". */
function saveOuts(world: EseWorld, saving: string | undefined, out: Record<string, unknown> | undefined, op: string, args?: object): void {
  if (saving === undefined) return;
  for (const part of saving.split(/\s+and\s+/)) {
    const m = /^(\w+) as ([\w.-]+)$/.exec(part.trim());
    if (!m) throw new SuiteError(`'${part}' is not "<out-value> as <name>"`);
    const value = out?.[m[1]];
    if (typeof value === 'string') world.ctx.saveHandle(m[2], value, op);
    else if (typeof value === 'number') world.ctx.names.set(m[2], { number: value });
    else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
      // One column id per column asked for: a shorter list would leave NAME.i unsaved (a suite error, not a verdict).
      const asked = args !== undefined && 'columns' in args && Array.isArray(args.columns) ? args.columns.length : value.length;
      if (value.length !== asked) throw new ConformanceFailure(`${op} returned ${value.length} ${m[1]} for ${asked} columns`);
      world.ctx.names.set(m[2], { numbers: value });
      // Each element too, as NAME.0, NAME.1, ... (a temp table's column ids are the implementation's choice).
      value.forEach((v, i) => world.ctx.names.set(`${m[2]}.${i}`, { number: v }));
    } else throw new ConformanceFailure(`${op} returned no out-value ${m[1]} to save as ${m[2]}`);
  }
}

// Every pattern's groups take part in every match: a group that did not would reach cucumber's
// reports as an empty argument (its HTML then repeats the step's text), so variants are separate steps.
function callOn(this: EseWorld, thread: string, text: string, saving: string | undefined): Maybe<void> {
  const call = parseCall(text, this.ctx.lookup);
  return then(this.ctx.actNow(thread, call.op, call.args), (result) => {
    if (result.err >= 0) saveOuts(this, saving, result.out, call.op, call.args);
  });
}

/** Any API call on a thread. */
When(
  /^thread (\w+) calls (Jet\w+\(.*\))$/,
  glue(function (this: EseWorld, thread: string, text: string) {
    return callOn.call(this, thread, text, undefined);
  }),
);

/** Any API call on a thread; "saving <out> as <name>" keeps an out-value (only when the call succeeds). */
When(
  /^thread (\w+) calls (Jet\w+\(.*\)) saving (.+)$/,
  glue(function (this: EseWorld, thread: string, text: string, saving: string) {
    return callOn.call(this, thread, text, saving);
  }),
);

/** `in-flight`: the call is entered on the thread and kept in progress until released. */
Given(
  /^thread (\w+) holds (Jet\w+\(.*\)) in flight$/,
  glue(async function (this: EseWorld, thread: string, text: string) {
    const call = parseCall(text, this.ctx.lookup);
    const held = await this.ctx.traced.hold(thread, call);
    if (held.kind === 'unsupported') throw new RefusedUse(`${this.ctx.traced.inner.info.name} cannot hold ${call.op} in flight: ${held.reason}`);
    if (held.kind !== 'held') {
      const r = this.ctx.returned(held, `hold ${call.op}`);
      throw new ConformanceFailure(`${call.op} could not be held in flight on ${thread}`, 'held', describeErr(r.err));
    }
    this.ctx.holds.set(thread, { hold: held.hold, op: call.op });
  }),
);

/** `in-flight`: lets the held call complete; its result becomes the call of that thread. */
When(
  /^the held call on thread (\w+) is released$/,
  glue(async function (this: EseWorld, thread: string) {
    const held = this.ctx.holds.get(thread);
    if (held === undefined) throw new SuiteError(`no call is held on thread ${thread}`);
    this.ctx.holds.delete(thread);
    const result = await this.ctx.traced.release(thread, held.hold);
    this.ctx.pending.set(thread, { op: held.op, promise: Promise.resolve(result), settled: result });
  }),
);

/** Starts a call without waiting for it: it may block (JetTerm2 waiting for a call in flight). */
When(
  /^thread (\w+) starts (Jet\w+\(.*\))$/,
  glue(function (this: EseWorld, thread: string, text: string) {
    const call = parseCall(text, this.ctx.lookup);
    const pending = { op: call.op, promise: this.ctx.traced.call(thread, call.op, call.args) as Promise<CallResult> };
    this.ctx.pending.set(thread, pending);
    void pending.promise.then((r) => Object.assign(pending, { settled: r }));
  }),
);

/** The started call has not returned (checked after the implementation had time to answer). */
Then(
  /^the call on thread (\w+) is still waiting$/,
  glue(async function (this: EseWorld, thread: string) {
    const pending = this.ctx.pending.get(thread);
    if (pending === undefined) throw new SuiteError(`no call was started on thread ${thread}`);
    await this.ctx.letCallsSettle();
    if (pending.settled !== undefined) {
      const r = this.ctx.returned(pending.settled, pending.op);
      throw new ConformanceFailure(`${pending.op} on ${thread} should still be waiting`, 'no answer yet', describeErr(r.err));
    }
  }),
);

/** The started (or released) call on the thread returns the code. */
Then(
  /^the call on thread (\w+) returns (\S+)$/,
  glue(async function (this: EseWorld, thread: string, code: string) {
    const pending = this.ctx.pending.get(thread);
    if (pending === undefined) throw new SuiteError(`no call was started on thread ${thread}`);
    // Where the adapter keeps its own call limit (issue 16: one timeout model), it fires first.
    const own = this.ctx.traced.inner.callTimeoutMs;
    const limitMs = own === undefined ? awaitTimeoutMs : Math.max(awaitTimeoutMs, own + 10_000);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
    });
    const settled = await Promise.race([pending.promise, timeout]);
    clearTimeout(timer);
    if (settled === 'timeout') {
      throw new FaultError({ kind: 'timeout', reason: `${pending.op} on ${thread} did not return within ${limitMs} ms` }, pending.op);
    }
    this.ctx.pending.delete(thread);
    const r = this.ctx.returned(settled, pending.op);
    const expected = requireErr(code, 'the call on thread returns');
    if (r.err !== expected) throw new ConformanceFailure(`${pending.op} on ${thread} returned an unexpected code`, describeErr(expected), describeErr(r.err));
  }),
);

function outValue(world: EseWorld, name: string): unknown {
  const last = world.ctx.last;
  if (last === undefined) throw new SuiteError('no call has been made yet in this scenario');
  return (last.result.out as Record<string, unknown> | undefined)?.[name];
}

/** The last call's out-value equals the value (call syntax: a saved name, number, constant or JSON). */
Then(
  /^the call's (\w+) is (?!none of )(.+)$/,
  glue(function (this: EseWorld, name: string, text: string) {
    const expected = parseValueText(name, text, this.ctx.lookup);
    const actual = outValue(this, name);
    if (!isDeepStrictEqual(actual, expected)) {
      throw new ConformanceFailure(`the out-value ${name} of ${this.ctx.last?.op} is not as expected`, JSON.stringify(expected), JSON.stringify(actual));
    }
  }),
);

/** The last call's out-value (a handle) differs from each of the saved names listed. */
Then(
  /^the call's (\w+) is none of (.+)$/,
  glue(function (this: EseWorld, name: string, list: string) {
    const actual = outValue(this, name);
    for (const other of list.split(/\s*,\s*/)) {
      const value = parseValueText(name, other, this.ctx.lookup);
      if (isDeepStrictEqual(actual, value)) {
        throw new ConformanceFailure(`the out-value ${name} of ${this.ctx.last?.op} repeats ${other}`, `a value other than ${list}`, JSON.stringify(actual));
      }
    }
  }),
);

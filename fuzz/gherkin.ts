/**
 * Writes a finding as a regression scenario with the suite's generic call-level steps
 * (steps/generic.steps.ts): every step of the shrunk run, each followed by the code the reference
 * returned. It passes against the reference (which is deterministic from a reset) and fails
 * against the implementation at the diverging step.
 */
import type { Capability } from '../api';
import { capabilities as allCapabilities } from '../api';
import { formatCall } from '../harness/call-syntax';
import { catalogueEntry } from '../harness/catalogue';
import { JET_constants, JET_params } from '../api/codes';
import { errName as judgeErrName, parseNumber } from '../harness/codes';
import type { Finding } from './campaign';
import { chooseCatalogueId, type CatalogueChoice } from './catalogue-id';
import { isRoleRef, type SymCall } from './roles';
import { alsoAllowed } from './tolerance';
import type { TraceStep } from './trace';

export interface FeatureContext {
  readonly finding: Finding;
  readonly seed: number;
  readonly maxSteps: number;
  /** `--adapter` as given, and the command after `--` for a process adapter: for the replay line. */
  readonly adapter: string;
  readonly command?: readonly string[];
}

export interface RenderedFeature {
  readonly text: string;
  readonly fileName: string;
  readonly scenario: string;
  readonly catalogue: CatalogueChoice;
  readonly tags: readonly string[];
  /**
   * Steps the suite does not define yet (requested from the owner of steps/): an out-value
   * check. A feature that needs one cannot run until it exists.
   */
  readonly missingSteps: readonly string[];
}

/** ESE names for the numbers of some argument slots, so that the scenario reads as ESE code does. */
const grbitNames: Partial<Record<SymCall['op'], Record<number, string>>> = {
  JetEndSession: { 1: 'JET_bitForceSessionClosed' },
  JetOpenTable: { 1: 'JET_bitTableDenyWrite', 2: 'JET_bitTableDenyRead', 4: 'JET_bitTableReadOnly', 8: 'JET_bitTableUpdatable' },
  JetOpenDatabase: { 2: 'JET_bitDbExclusive' },
  JetRollback: { 1: 'JET_bitRollbackAll' },
  JetCommitTransaction: { 1: 'JET_bitCommitLazyFlush', 2: 'JET_bitWaitLastLevel0Commit' },
  JetBeginTransaction2: { 1: 'JET_bitTransactionReadOnly' },
  JetTerm2: { 1: 'JET_bitTermComplete', 2: 'JET_bitTermAbrupt', 8: 'JET_bitTermDirty' },
  JetStopServiceInstance2: {
    2: 'JET_bitStopServiceBackgroundUserTasks',
    4: 'JET_bitStopServiceQuiesceCaches',
    8: 'JET_bitStopServiceStopAndEmitLog',
    0x80000000: 'JET_bitStopServiceResume',
  },
};

function nameByValue(table: Record<string, number>, prefix: string, value: number): string | undefined {
  for (const [name, v] of Object.entries(table)) if (name.startsWith(prefix) && v === value) return name;
  return undefined;
}

function grbitName(op: SymCall['op'], value: number): string | undefined {
  const names = grbitNames[op];
  if (names === undefined) return undefined;
  if (value === 0) return op === 'JetStopServiceInstance2' ? 'JET_bitStopServiceAll' : undefined;
  const parts: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of Object.entries(names)) {
    const b = Number(bit) >>> 0;
    if ((rest & b) === b) {
      parts.push(name);
      rest = (rest & ~b) >>> 0;
    }
  }
  return rest === 0 ? parts.join('|') : undefined;
}

/**
 * Only a name the suite's catalogue copy reads back (harness/codes.ts), else the number: a feature
 * naming JET_bitCommitLazyFlush, which only the engine's table knows, was a SUITE_ERROR (seed 602).
 */
function constantName(op: SymCall['op'], slot: string, value: number): string | undefined {
  const name = engineName(op, slot, value);
  return name !== undefined && parseNumber(name) !== undefined ? name : undefined;
}

function engineName(op: SymCall['op'], slot: string, value: number): string | undefined {
  switch (slot) {
    case 'grbit':
      return grbitName(op, value);
    case 'paramid':
      return nameByValue(JET_params, 'JET_param', value);
    case 'prep':
      return nameByValue(JET_constants, 'JET_prep', value);
    case 'cRow':
      return nameByValue(JET_constants, 'JET_Move', value);
    case 'coltyp':
      return nameByValue(JET_constants, 'JET_coltyp', value);
    default:
      return undefined;
  }
}

/**
 * A symbolic call in the call syntax of harness/call-syntax.ts. `dbidNames` maps the reference's
 * dbids to the names a written finding saved them as: a dbid is the implementation's to choose.
 */
export function callText(call: SymCall, dbidNames?: ReadonlyMap<number, string>): string {
  return formatCall({ op: call.op, args: call.args } as never, (slot, value) => {
    if (isRoleRef(value)) return value.role;
    if (slot === 'dbid' && typeof value === 'number' && dbidNames?.has(value)) return dbidNames.get(value);
    if (typeof value === 'number') return constantName(call.op, slot, value);
    return undefined;
  });
}

/** A code as the suite's steps read it: the judge's name (the shipped catalogue copy), else the number. */
function code(err: number): string {
  return judgeErrName(err) ?? String(err);
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function valueText(v: unknown): string {
  return v === null ? 'null' : JSON.stringify(v);
}

/** The reference's dbid -> the name the finding saved it as (db1, db2, ... in issue order). */
class DbidNames {
  readonly names = new Map<number, string>();
  private count = 0;

  /** Names the dbid a call returned, after the call's own arguments are written. */
  save(dbid: number): string {
    const name = `db${++this.count}`;
    this.names.set(dbid, name);
    return name;
  }
}

/** The Gherkin lines of one step; `missing` collects the steps the suite lacks. */
function stepLines(step: TraceStep, missing: string[], dbids: DbidNames): string[] {
  switch (step.kind) {
    case 'call': {
      const text = callText(step.call, dbids.names);
      const saves = [...(step.save ? [`${step.save.out} as ${step.save.as}`] : []), ...(step.dbid !== undefined && step.err >= 0 ? [`dbid as ${dbids.save(step.dbid)}`] : [])];
      const saving = saves.length > 0 ? ` saving ${saves.join(' and ')}` : '';
      const also = alsoAllowed(step.call, step.err);
      const lines = [`When thread ${step.thread} calls ${text}${saving}`];
      if (also.length === 0) lines.push(`Then the call returns ${code(step.err)}`);
      else {
        // "the call returns" takes one code: a set is written as the esent row of a by-tier table.
        const returns = [step.err, ...also].map(code).join(' or ');
        const width = Math.max('returns'.length, returns.length);
        lines.push('Then the call returns, by tier:', `  | tier  | ${'returns'.padEnd(width)} |`, `  | esent | ${returns.padEnd(width)} |`);
      }
      const d = step.divergence;
      if (d?.kind === 'out' && d.out !== undefined) {
        const line = `Then the call's ${d.out.name} is ${valueText(d.out.value)}`;
        lines.push(line);
        missing.push(line);
      } else if (d?.kind === 'alias' && d.others !== undefined && step.save) {
        const line = `Then the call's ${step.save.out} is none of ${d.others.join(', ')}`;
        lines.push(line);
        missing.push(line);
      }
      return lines;
    }
    case 'hold':
      return [`Given thread ${step.thread} holds ${callText(step.call, dbids.names)} in flight`];
    case 'release':
      return [`When the held call on thread ${step.thread} is released`, `Then the call on thread ${step.thread} returns ${code(step.err)}`];
    case 'start':
      return [`When thread ${step.thread} starts ${callText(step.call, dbids.names)}`];
    case 'waiting':
      return [`Then the call on thread ${step.thread} is still waiting`];
    case 'returned':
      return [`Then the call on thread ${step.thread} returns ${code(step.err)}`];
    case 'inject':
      return [`Given the clean-up step "${step.fault.step}" fails with ${code(step.fault.err)} ${times(step.fault.times)}`];
    case 'force':
      return [`Given the instance is forced into a fatal error caused by ${code(step.cause)}`];
  }
}

/** Capabilities the steps use: threads besides t1, calls in flight, injections, forced states. */
function usedCapabilities(trace: readonly TraceStep[]): Set<Capability> {
  const caps = new Set<Capability>();
  for (const step of trace) {
    if (step.thread !== '-' && step.thread !== 't1') caps.add('threads');
    if (step.kind === 'hold' || step.kind === 'start' || step.kind === 'release' || step.kind === 'waiting') {
      caps.add('in-flight');
      caps.add('threads');
    }
    if (step.kind === 'inject') caps.add('fault-injection');
    if (step.kind === 'force') caps.add('instance-state');
  }
  return caps;
}

/** Capabilities every scenario of an ID needs (its needs cell, except parts "for" one case only). */
function idCapabilities(id: string): Capability[] {
  const needs = catalogueEntry(id)?.needs ?? '';
  return needs
    .split(/[;,]/)
    .map((part) => part.trim())
    .filter((part) => !/\bfor\b/.test(part))
    .map((part) => part.split(/\s/)[0])
    .filter((word): word is Capability => (allCapabilities as readonly string[]).includes(word));
}

/** FNV-1a of the text, 8 hex digits: a stable short name for a finding. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that replays the finding. */
export function replayCommand(ctx: FeatureContext): string {
  const parts = ['ese-conformance', 'fuzz', '--adapter', ctx.adapter, '--seed', String(ctx.seed), '--max-steps', String(ctx.maxSteps), '--replay', ctx.finding.replay];
  if (ctx.command !== undefined && ctx.command.length > 0) parts.push('--', ...ctx.command);
  return parts.map(shellQuote).join(' ');
}

export function renderFeature(ctx: FeatureContext): RenderedFeature {
  const { finding } = ctx;
  const missing: string[] = [];
  const dbids = new DbidNames();
  const body = finding.trace.flatMap((step) => stepLines(step, missing, dbids));
  const hash = shortHash(body.join('\n'));
  const catalogue = chooseCatalogueId(finding.trace);
  const caps = usedCapabilities(finding.trace);
  for (const c of idCapabilities(catalogue.id)) caps.add(c);
  const tags = [`@${catalogue.id}`, '@esent', ...allCapabilities.filter((c) => caps.has(c)).map((c) => `@needs:${c}`)];
  if (catalogue.id === 'ES-INSTANCE-UNAVAILABLE' || caps.has('instance-state')) tags.push('@since:windows-xp');
  const last = finding.trace[finding.trace.length - 1];
  const scenario = `Fuzz finding ${hash}: ${finding.divergence.message}`;
  const text = [
    `# Written by \`ese-conformance fuzz\` (differential fuzzing against the reference engine, esent tier).`,
    `# Adapter ${ctx.adapter}, seed ${ctx.seed}, ${finding.shrinks} shrinks; replay with:`,
    `#   ${replayCommand(ctx)}`,
    `# Every step agreed with the reference except the last (thread ${last.thread}): ${finding.divergence.message}.`,
    `# Why ${catalogue.id}: ${catalogue.why}. Promote it as docs/fuzzing.md says.`,
    ...(missing.length > 0 ? [`# Needs a step the suite does not define yet: ${missing.join('; ')}`] : []),
    '@regression',
    `Feature: Fuzz finding ${hash}`,
    '  A sequence of plain API calls on which the implementation under test and the reference',
    '  engine disagree. It passes against the reference and fails against the implementation.',
    '',
    `  ${tags.join(' ')}`,
    `  Scenario: ${scenario}`,
    ...body.map((line) => `    ${line}`),
    '',
  ].join('\n');
  return { text, fileName: `fuzz-${ctx.seed}-${hash}.feature`, scenario, catalogue, tags, missingSteps: missing };
}

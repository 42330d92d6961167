/**
 * JetEndSession's check order as data (catalogue/check-order.json) and the pairwise outline made
 * from it: for every two conditions that can hold at once, which code wins in each tier. A new
 * condition in the table adds its pairs the next time the feature is generated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tier } from './results';

export interface Condition {
  readonly name: string;
  /** The catalogue ID a row is tagged with when this condition decides it. */
  readonly id: string;
  readonly tiers: readonly Tier[];
  readonly needs: readonly string[];
  readonly since?: string;
  /** Codes the documentation allows when this condition holds alone. */
  readonly documented: readonly string[];
  /** ESENT's code when this condition holds alone; null when it does not fail the call. */
  readonly esent: string | null;
  /** Set-up rank: conditions are made to hold in ascending rank (later ones would block earlier set-ups). */
  readonly setup: number;
  /**
   * For a condition whose own JetEndSession of s1 would not fail (or would use the condition up):
   * the session whose JetEndSession shows it applied, and what that call returns per tier.
   */
  readonly probe?: { readonly session: string; readonly why: string; readonly documented: readonly string[]; readonly esent?: string };
  /** How the condition stops holding, or stops applying to the call, when it can (harness/conditions.ts takeAways). */
  readonly takeAway?: string;
  /** The condition fails the calls of every session of the instance (so a probe session shows the other condition no more). */
  readonly instanceWide?: boolean;
}

/** A condition that only a test-control capability (instance-state, fault-injection, in-flight, threads) makes hold. */
export function capabilityBacked(c: Condition): boolean {
  return c.needs.length > 0;
}

/** Whether the condition makes JetEndSession fail on its own, in some tier. */
function blocks(c: Condition): boolean {
  return c.esent !== null || !c.documented.includes('JET_errSuccess');
}

/** A second JetEndSession after the pair's: `takeAway` stops holding (none: the same conditions, a fault used up). */
export interface ThenCall {
  readonly takeAway?: string;
  readonly documented: string;
  readonly esent?: string;
}

/** A condition's JetEndSession on its own (its probe session, or s1), per tier. */
export interface ProbeCall {
  readonly documented: string;
  readonly esent?: string;
}

export interface CheckOrderFile {
  readonly version: string;
  readonly source: string;
  readonly order: readonly string[];
  readonly why: Readonly<Record<string, string>>;
  readonly exclusive: readonly (readonly [string, string, string])[];
  readonly conditions: readonly Condition[];
}

export const checkOrderFeatureFile = 'features/generated/check-order.feature';

export function checkOrderPath(): string {
  return [path.join(__dirname, '..', 'catalogue', 'check-order.json'), path.join(__dirname, '..', '..', 'catalogue', 'check-order.json')].find((p) => fs.existsSync(p)) ?? path.join(__dirname, '..', 'catalogue', 'check-order.json');
}

export function loadCheckOrder(file = checkOrderPath()): CheckOrderFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CheckOrderFile;
}

export interface PairRow {
  /** Set up first (lower rank). */
  readonly first: string;
  readonly second: string;
  readonly tiers: readonly Tier[];
  readonly id: string;
  readonly needs: readonly string[];
  readonly since?: string;
  /** Allowed codes per tier, as a by-tier cell ("A or B"). */
  readonly documented: string;
  readonly esent?: string;
  /** The first condition shown applied alone, right after it is made to hold (capability-backed conditions). */
  readonly firstAlone?: ProbeCall;
  /** The second condition shown applied on its probe session, right after it is made to hold. */
  readonly secondAlone?: ProbeCall;
  /** After the pair's call: the second condition shown applied with the first taken away (or used up). */
  readonly then?: ThenCall;
}

function alone(c: Condition, tiers: readonly Tier[]): ProbeCall {
  const documented = (c.probe?.documented ?? c.documented).join(' or ');
  const esent = c.probe?.esent ?? c.esent ?? 'JET_errSuccess';
  return { documented, ...(tiers.includes('esent') ? { esent } : {}) };
}

/**
 * What proves that the condition set up second was applied, when the pair's call cannot: with the
 * first condition taken away (or, for a fault, used up or still pending), the second decides a
 * second call on its own. Conditions with a probe session are shown applied where they are set up;
 * a first condition that does not block leaves the pair's call to the second.
 */
function thenCall(first: Condition, second: Condition, tiers: readonly Tier[], winner: Condition | undefined, secondShown: boolean): ThenCall | undefined {
  if (!capabilityBacked(second) || secondShown || !blocks(first)) return undefined;
  if (first.takeAway !== undefined) return { takeAway: first.name, ...alone(second, tiers) };
  if (first.name !== 'clean-up fault') return undefined;
  // The fault fails one clean-up of s1: the pair's call used it up (then the second condition decides) or never reached it.
  if (tiers.includes('esent') && winner !== second) throw new Error(`check-order.json: "${second.name}" must come before "${first.name}" in order`);
  const documented = [...new Set([...second.documented, ...first.documented])].filter((c) => c !== 'JET_errSuccess');
  return { documented: documented.join(' or '), ...(tiers.includes('esent') ? { esent: second.esent ?? 'JET_errSuccess' } : {}) };
}

/** Every pair that can hold at once, with its expectation per tier. */
export function pairRows(file: CheckOrderFile = loadCheckOrder()): PairRow[] {
  const rank = (c: Condition) => file.order.indexOf(c.name);
  for (const c of file.conditions) if (rank(c) < 0) throw new Error(`check-order.json: "${c.name}" is not in "order"`);
  const exclusive = (a: string, b: string) => file.exclusive.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  const rows: PairRow[] = [];
  const list = [...file.conditions].sort((a, b) => rank(a) - rank(b));
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, b] = [list[i], list[j]];
      if (exclusive(a.name, b.name)) continue;
      const tiers = a.tiers.filter((t) => b.tiers.includes(t));
      if (tiers.length === 0) continue;
      // ESENT: the first failing check in order decides; neither failing ends the session.
      const winner = [a, b].find((c) => c.esent !== null);
      const id = (winner ?? a).id;
      // The documentation fixes no order: any code either condition allows; success only when neither must fail.
      const mustFail = [a, b].some((c) => !c.documented.includes('JET_errSuccess'));
      const documented = [...new Set([...a.documented, ...b.documented])].filter((code) => !(mustFail && code === 'JET_errSuccess'));
      const [first, second] = a.setup <= b.setup ? [a, b] : [b, a];
      const since = [a.since, b.since].find((s) => s !== undefined);
      // A probe session shows the second condition unless the first fails every session of the instance.
      const secondShown = capabilityBacked(second) && second.probe !== undefined && first.instanceWide !== true;
      rows.push({
        first: first.name,
        second: second.name,
        tiers,
        id,
        needs: [...new Set([...a.needs, ...b.needs])].sort(),
        ...(since === undefined ? {} : { since }),
        documented: documented.join(' or '),
        ...(tiers.includes('esent') ? { esent: winner?.esent ?? 'JET_errSuccess' } : {}),
        ...(capabilityBacked(first) ? { firstAlone: alone(first, tiers) } : {}),
        ...(secondShown ? { secondAlone: alone(second, tiers) } : {}),
        ...((t) => (t === undefined ? {} : { then: t }))(thenCall(first, second, tiers, winner, secondShown)),
      });
    }
  }
  return rows;
}

function tagsOf(r: PairRow): string {
  return [`@${r.id}`, ...r.tiers.map((t) => `@${t}`), ...r.needs.map((n) => `@needs:${n}`), ...(r.since === undefined ? [] : [`@since:${r.since}`])].join(' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `${indent}| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), ...rows.map(line)];
}

/** The steps' shape of a row: which of the optional calls it makes. */
function shapeOf(r: PairRow): string {
  return [r.firstAlone ? 'first' : '', r.secondAlone ? 'second' : '', r.then === undefined ? '' : r.then.takeAway === undefined ? 'again' : 'take-away'].join('/');
}

function byTier(tiers: readonly Tier[], column: (t: Tier) => string): string[] {
  return ['    Then the call returns, by tier:', ...table(['tier', 'returns'], tiers.map((t) => [t, `<${column(t)}>`]), '      '), '    And the whole observable state is as ESENT leaves it'];
}

function outline(title: string, tiers: readonly Tier[], rows: readonly PairRow[]): string[] {
  const shapes = new Map<string, PairRow[]>();
  for (const r of rows) shapes.set(shapeOf(r), [...(shapes.get(shapeOf(r)) ?? []), r]);
  const out: string[] = [];
  for (const [, shaped] of [...shapes].sort(([a], [b]) => a.localeCompare(b))) {
    const x = shaped[0];
    const steps = [
      '    Given the condition "<first>" holds',
      ...(x.firstAlone === undefined ? [] : ['    When the session the condition "<first>" names is ended from thread t1', ...byTier(tiers, (t) => `first alone, ${t}`), '    Given the condition "<second>" holds']),
      ...(x.firstAlone === undefined ? ['    And the condition "<second>" holds'] : []),
      ...(x.secondAlone === undefined ? [] : ['    When the session the condition "<second>" names is ended from thread t1', ...byTier(tiers, (t) => `second alone, ${t}`)]),
      '    When the session the conditions name is ended from thread t1',
      ...byTier(tiers, (t) => t),
      ...(x.then === undefined
        ? []
        : [
            x.then.takeAway === undefined ? '    When the session the conditions name is ended again from thread t1' : '    When the condition "<taken away>" is taken away, and the session the conditions name is ended again',
            ...byTier(tiers, (t) => `then, ${t}`),
          ]),
    ];
    const columns = [
      'first',
      'second',
      ...(x.firstAlone === undefined ? [] : tiers.map((t) => `first alone, ${t}`)),
      ...(x.secondAlone === undefined ? [] : tiers.map((t) => `second alone, ${t}`)),
      ...tiers,
      ...(x.then?.takeAway === undefined ? [] : ['taken away']),
      ...(x.then === undefined ? [] : tiers.map((t) => `then, ${t}`)),
    ];
    const cells = (r: PairRow): string[] => [
      r.first,
      r.second,
      ...(r.firstAlone === undefined ? [] : tiers.map((t) => (t === 'esent' ? (r.firstAlone?.esent ?? '') : (r.firstAlone?.documented ?? '')))),
      ...(r.secondAlone === undefined ? [] : tiers.map((t) => (t === 'esent' ? (r.secondAlone?.esent ?? '') : (r.secondAlone?.documented ?? '')))),
      ...tiers.map((t) => (t === 'esent' ? (r.esent ?? '') : r.documented)),
      ...(r.then?.takeAway === undefined ? [] : [r.then.takeAway]),
      ...(r.then === undefined ? [] : tiers.map((t) => (t === 'esent' ? (r.then?.esent ?? '') : (r.then?.documented ?? '')))),
    ];
    const groups = new Map<string, PairRow[]>();
    for (const r of shaped) groups.set(tagsOf(r), [...(groups.get(tagsOf(r)) ?? []), r]);
    out.push(...(out.length === 0 ? [] : ['']), `  Scenario Outline: ${title}: <first>, and <second>`, ...steps);
    for (const [tags, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      out.push('', `    ${tags}`, '    Examples:', ...table(columns, group.map(cells), '      '));
    }
  }
  return out;
}

/** The generated feature: a Background with the base situation and one outline per tier set. */
export function checkOrderFeature(file: CheckOrderFile = loadCheckOrder()): string {
  const rows = pairRows(file);
  const both = rows.filter((r) => r.tiers.includes('esent'));
  const documentedOnly = rows.filter((r) => !r.tiers.includes('esent'));
  const lines = [
    '# Generated by `npm run check-order:generate` from catalogue/check-order.json: edit that file, not this one.',
    '@doc:return-value @generated',
    'Feature: Check order of JetEndSession, pairwise',
    '  Two conditions hold at once. In the esent tier the check ESENT makes first decides the code',
    `  (${file.order.join(' < ')}); in the documented tier, which fixes no order,`,
    '  either condition\'s documented code is allowed. Either way the call that fails changes nothing the',
    '  losing condition holds: the whole observable state is as ESENT leaves it (documented: as before).',
    '  A condition only a test-control capability makes hold is shown applied too (a row must fail when',
    '  the capability is ignored): on its own right after it is set up, on a probe session, or by a',
    '  second call once the other condition is taken away.',
    '',
    '  Background:',
    '    Given an initialized instance',
    '    And a database "db1" with a table "t1" holding 3 records',
    '    And sessions s1 and s2',
    '    And s1 has opened table "t1"',
    '',
    ...outline('Check order', ['documented', 'esent'], both),
    ...(documentedOnly.length === 0 ? [] : ['', ...outline('Check order with a forced state', ['documented'], documentedOnly)]),
    '',
  ];
  return lines.join('\n');
}

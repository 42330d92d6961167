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
      rows.push({
        first: first.name,
        second: second.name,
        tiers,
        id,
        needs: [...new Set([...a.needs, ...b.needs])].sort(),
        ...(since === undefined ? {} : { since }),
        documented: documented.join(' or '),
        ...(tiers.includes('esent') ? { esent: winner?.esent ?? 'JET_errSuccess' } : {}),
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

function outline(title: string, tiers: readonly Tier[], rows: readonly PairRow[]): string[] {
  const groups = new Map<string, PairRow[]>();
  for (const r of rows) groups.set(tagsOf(r), [...(groups.get(tagsOf(r)) ?? []), r]);
  const columns = ['first', 'second', ...tiers];
  const out = [
    `  Scenario Outline: ${title}: <first>, and <second>`,
    '    Given the condition "<first>" holds',
    '    And the condition "<second>" holds',
    '    When the session the conditions name is ended from thread t1',
    '    Then the call returns, by tier:',
    ...table(['tier', 'returns'], tiers.map((t) => [t, `<${t}>`]), '      '),
    '    And the whole observable state is as ESENT leaves it',
  ];
  for (const [tags, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push('', `    ${tags}`, '    Examples:', ...table(columns, group.map((r) => [r.first, r.second, ...tiers.map((t) => (t === 'esent' ? (r.esent ?? '') : r.documented))]), '      '));
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

/**
 * Static checks of the feature files that the runtime would only find as SUITE_ERRORs (or, before
 * them, never): every conditional step can be evaluated, every name is in the catalogue copy, every
 * count is well formed, every call a step writes has the arguments the protocol requires (the
 * in-process reference takes a call without one, a process implementation or the bridge refuses it
 * as a bad request), and every When-block is followed by a Then. `npm test` runs it over every
 * feature file (test/suite/lint.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaDir } from '../adapters/process/schema';
import { parseAllowed } from './by-tier';
import { splitArgs } from './call-syntax';
import { parseCount } from './counts';
import { parseErr, parseNumber } from './codes';
import type { IndexedScenario } from './feature-index';

export interface LintProblem {
  readonly scenario: string;
  /** 1-based index of the step in the scenario (outline rows expanded). */
  readonly step: number;
  readonly message: string;
}

const ifOutcome = /^if the outcome was ([\w-]+), /;
const ifCode = /^if the call returned (\S+), /;
const byTier = /, by tier:$/;
const otherThread = /\bthread (?!t1\b)t\w+/;
/** The steps that write a call in the call syntax (steps/generic.steps.ts). */
const writtenCall = /^thread \w+ (?:calls|holds|starts) (Jet\w+)\((.*)\)(?: saving .+| in flight)?$/;

type ArgsSchema = Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
let argsSchema: ArgsSchema | undefined;

/** What is wrong with the argument names of a written call, against the protocol's operations schema. */
function callProblem(op: string, argsText: string): string | undefined {
  argsSchema ??= (JSON.parse(fs.readFileSync(path.join(schemaDir(), 'operations.schema.json'), 'utf8')) as { $defs: { args: ArgsSchema } }).$defs.args;
  const schema = argsSchema[op];
  if (schema === undefined) return `${op} is not an operation of the protocol (schemas/protocol/operations.schema.json)`;
  const names = splitArgs(argsText).map((a) => a.slice(0, Math.max(0, a.indexOf('='))).trim());
  const missing = (schema.required ?? []).filter((r) => !names.includes(r));
  if (missing.length > 0) return `${op} is written without ${missing.join(', ')}, which the protocol requires: a process implementation refuses the call as a bad request`;
  const unknown = names.filter((n) => !(n in (schema.properties ?? {})));
  if (unknown.length > 0) return `${op} is written with ${unknown.map((n) => `'${n}'`).join(', ')}, which the protocol does not define for it`;
  return undefined;
}

/** Every problem of the scenarios given; none means the conditional steps and names are sound. */
export function lintScenarios(scenarios: readonly IndexedScenario[]): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const s of scenarios) {
    const report = (i: number, message: string) => problems.push({ scenario: s.id, step: i + 1, message });
    const declared = new Map<string, number>();
    s.steps.forEach((text, i) => {
      const table = s.tables[i];
      // Names: every JET_ name in the step and its table is one the judge's table knows.
      const cells = [text, ...(table ?? []).flat()];
      for (const cell of cells) {
        for (const [name] of cell.matchAll(/\bJET_\w+/g)) {
          if (parseNumber(name) === undefined) report(i, `${name} is not in the catalogue copy (catalogue/codes.json): misspelt, or add it to the catalogue`);
        }
      }
      // By-tier tables: outcome names declared once per scenario, one for every row.
      if (byTier.test(text) && table !== undefined) {
        const header = table[0];
        const outcome = header.indexOf('outcome');
        const returns = header.indexOf('returns');
        const count = header.indexOf('count');
        for (const row of table.slice(1)) {
          if (returns >= 0) {
            try {
              parseAllowed(row[returns]);
            } catch (e) {
              report(i, (e as Error).message);
            }
          }
          if (count >= 0) {
            try {
              parseCount(row[count]);
            } catch (e) {
              report(i, (e as Error).message);
            }
          }
          if (outcome < 0) continue;
          const name = row[outcome].trim();
          if (name === '') report(i, `a row of "${text}" names no outcome; with an outcome column every row names one`);
        }
        if (outcome >= 0) {
          for (const name of new Set(table.slice(1).map((r) => r[outcome].trim()).filter((n) => n !== ''))) {
            const first = declared.get(name);
            if (first !== undefined) report(i, `the outcome name "${name}" is already declared at step ${first + 1}; outcome names are unique per scenario`);
            else declared.set(name, i);
          }
        }
      }
      // Conditionals: the outcome is declared by an earlier table; the code is a known one.
      const o = ifOutcome.exec(text);
      if (o !== null && !declared.has(o[1])) {
        const names = [...declared.keys()];
        report(i, `"if the outcome was ${o[1]}": no by-tier table before this step declares the outcome ${o[1]} (declared: ${names.join(', ') || 'none'}); add an outcome column naming it`);
      }
      const c = ifCode.exec(text);
      if (c !== null && parseErr(c[1]) === undefined) report(i, `"if the call returned ${c[1]}": not a JET_err name of the catalogue copy or a number`);
      // A second thread is a capability: without the tag an implementation declaring no `threads`
      // runs the scenario and fails it (or, worse, passes it on one thread) instead of NOT_APPLICABLE.
      const t = otherThread.exec(text);
      if (t !== null && !s.tags.includes('@needs:threads')) report(i, `"${t[0]}" names a second thread, but the scenario is not tagged @needs:threads: tag it, or call on thread t1`);
      const w = writtenCall.exec(text);
      const bad = w === null ? undefined : callProblem(w[1], w[2]);
      if (bad !== undefined) report(i, bad);
    });
    // Every When-block is followed by at least one Then-step before the next block or the end.
    const types = s.stepTypes ?? [];
    let blockStart: number | undefined;
    let checked = true;
    types.forEach((type, i) => {
      if (type === 'Action' && (i === 0 || types[i - 1] !== 'Action')) {
        if (blockStart !== undefined && !checked) report(blockStart, `no Then-step follows the When-step "${s.steps[blockStart]}"`);
        blockStart = i;
        checked = false;
      }
      if (type === 'Outcome') checked = true;
    });
    if (blockStart !== undefined && !checked) report(blockStart, `no Then-step follows the When-step "${s.steps[blockStart]}"`);
    if (!types.includes('Outcome') && types.length > 0) report(0, 'the scenario has no Then-step: it checks nothing');
  }
  return problems;
}

export function formatLintProblem(p: LintProblem): string {
  return `${p.scenario} (step ${p.step}): ${p.message}`;
}

/** `ese-conformance mutants`: the suite against every mutant of the reference, and the kill matrix. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tiers as allTiers, type Tier } from '../../harness/results';
import { defaultFuzzBudget, defaultJobs, defaultTimeoutMs, runCampaign } from '../../mutants/campaign';
import type { FuzzBudget } from '../../mutants/kill-matrix';
import { findMutant, mutants } from '../../mutants/catalogue';
import { renderMarkdown, terminalLines } from '../../mutants/render';
import { renderHtml } from '../../mutants/render-html';
import type { MutantSpec } from '../../mutants/types';
import { parseOptions } from '../args';
import { UsageError, type CliIo, type Command } from '../command';

const usage = `Usage: ese-conformance mutants [options]

Runs the suite against the reference engine and against every mutant of it (plausible bugs of an
ESE implementation, docs/mutants.md), and writes the kill matrix: mutant x catalogue ID -> the
scenarios that kill it and the step each failed at, per tier; per check (Then-step), the mutants
that fail it; and a fixed-budget fuzz campaign against each mutant.

Options:
  --tier TIER         documented, esent or all (default: all)
  --report-dir DIR    where mutants.json, mutants.md and mutants.html go (default: reports/mutants)
  --mutant NAME       only this mutant (repeatable); the reference always runs
  --jobs N            child processes running mutants at once (default: ${defaultJobs()})
  --timeout-ms N      how long one mutant's run may take before it counts as hung (default: ${defaultTimeoutMs})
  --fuzz-runs N       fuzz runs per mutant, 0 for none (default: ${defaultFuzzBudget.runs}, seed ${defaultFuzzBudget.seed}, at most ${defaultFuzzBudget.maxSteps} steps)
  --fuzz-seed N       the fuzz campaigns' seed (default: ${defaultFuzzBudget.seed})
  --list              print the catalogue (name, tiers it must die in, description) and exit
  -h, --help          this text

Exit codes: 0 the reference passes and every mutant is killed in the tiers it deviates in, by the
IDs declared, and survives the others, every check fails for at least one mutant in every tier it
runs in, and no mutant the fuzzer finds survives the esent tier; 1 otherwise; 2 usage.`;

interface Options {
  readonly tiers: readonly Tier[];
  readonly reportDir: string;
  readonly specs: readonly MutantSpec[];
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly fuzz: FuzzBudget | undefined;
  readonly list: boolean;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('ERR_ESE_INVALID_VALUE', `${flag} ${value}: give a whole number (0 or more)`);
  return n;
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('ERR_ESE_INVALID_VALUE', `${flag} ${value}: give a positive whole number`);
  return n;
}

function parse(argv: readonly string[], cwd: string): Options {
  const values = parseOptions('mutants', argv, {
    tier: { type: 'string', default: 'all' },
    'report-dir': { type: 'string', default: path.join('reports', 'mutants') },
    mutant: { type: 'string', multiple: true, default: [] },
    jobs: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'fuzz-runs': { type: 'string' },
    'fuzz-seed': { type: 'string' },
    list: { type: 'boolean', default: false },
  });
  const tier = values.tier as string;
  if (tier !== 'all' && !allTiers.includes(tier as Tier)) throw new UsageError('ERR_ESE_INVALID_VALUE', `--tier ${tier}: use documented, esent or all`);
  const specs = (values.mutant as string[]).map((name) => {
    const spec = findMutant(name);
    if (spec === undefined) throw new UsageError('ERR_ESE_UNKNOWN_MUTANT', `--mutant ${name}: no such mutant; 'ese-conformance mutants --list' shows them`);
    return spec;
  });
  return {
    tiers: tier === 'all' ? allTiers : [tier as Tier],
    reportDir: path.resolve(cwd, values['report-dir'] as string),
    specs: specs.length > 0 ? specs : mutants,
    jobs: positiveInt('--jobs', values.jobs as string | undefined, defaultJobs()),
    timeoutMs: positiveInt('--timeout-ms', values['timeout-ms'] as string | undefined, defaultTimeoutMs),
    fuzz: fuzzBudget(values['fuzz-runs'] as string | undefined, values['fuzz-seed'] as string | undefined),
    list: values.list as boolean,
  };
}

function fuzzBudget(runs: string | undefined, seed: string | undefined): FuzzBudget | undefined {
  const n = wholeNumber('--fuzz-runs', runs, defaultFuzzBudget.runs);
  const s = wholeNumber('--fuzz-seed', seed, defaultFuzzBudget.seed);
  return n === 0 ? undefined : { ...defaultFuzzBudget, runs: n, seed: s };
}

function listLines(): string[] {
  const width = Math.max(...mutants.map((m) => m.name.length));
  return mutants.map((m) => {
    const dies = allTiers.filter((t) => m.killedBy[t] !== undefined);
    return `${m.name.padEnd(width)}  ${m.kind.padEnd(9)}  dies in ${dies.join('+').padEnd(16)}  ${m.description}`;
  });
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parse(argv, io.cwd);
  if (options.list) {
    for (const line of listLines()) io.out(line);
    return 0;
  }
  let done = 0;
  const total = options.specs.length + 1;
  const matrix = await runCampaign({
    tiers: options.tiers,
    specs: options.specs,
    jobs: options.jobs,
    timeoutMs: options.timeoutMs,
    ...(options.fuzz === undefined ? {} : { fuzz: options.fuzz }),
    onRun: (r) => process.stderr.write(`[${++done}/${total}] ${r.name}: ${r.outcome}, ${(r.durationMs / 1000).toFixed(1)} s\n`),
  });
  fs.mkdirSync(options.reportDir, { recursive: true });
  const files = {
    'mutants.json': JSON.stringify(matrix, null, 2) + '\n',
    'mutants.md': renderMarkdown(matrix),
    'mutants.html': renderHtml(matrix),
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(options.reportDir, name), text);
  for (const line of terminalLines(matrix)) io.out(line);
  io.out(`written: ${Object.keys(files).map((f) => path.relative(io.cwd, path.join(options.reportDir, f)) || f).join(', ')}`);
  return matrix.ok ? 0 : 1;
}

export const command: Command = {
  name: 'mutants',
  summary: 'run the suite against every mutant of the reference and write the kill matrix',
  usage,
  run,
};

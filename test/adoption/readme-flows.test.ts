/**
 * The command blocks of README.md and docs/ci.md, run as a user would: every shell line of every
 * block is either executed in a temporary folder (against the shipped example implementation,
 * examples/python-adapter, for `./my-ese --stdio`), with its exit code and key lines asserted, or
 * listed below with the reason it is not. A block line this test does not know fails it, so the
 * docs cannot gain a command nobody ran. `ese-conformance` runs from this checkout's sources.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const repo = path.resolve(__dirname, '..', '..');
const example = path.join(repo, 'examples', 'python-adapter', 'adapter.py');

/** Shell lines of the ```sh blocks, `\` continuations joined, comments dropped. */
export function shellLines(markdown: string): string[] {
  const out: string[] = [];
  for (const [, block] of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      if (line !== '' && !line.startsWith('#')) out.push(line.replace(/\s+/g, ' '));
    }
  }
  return out;
}

/** What the test does with a line: run it (exit code and key lines) or leave it, with the reason. */
type Plan = { run: true; exit: number; out?: RegExp[]; err?: RegExp } | { run: false; why: string };

const impl = /\.\/(?:build\/)?my-ese --stdio/g;
const plans: [RegExp, Plan][] = [
  [/^npm ci && npm run conformance$/, { run: true, exit: 0, out: [/^ {2}documented: 25\/25 applicable IDs pass; all 25 checked/m, /^ {2}esent: +24\/24 applicable IDs pass; all 24 checked/m] }],
  [/^npm test$/, { run: false, why: 'this test runs inside npm test' }],
  [/^npm run build$/, { run: false, why: 'builds dist/; test/packaging/install.test.ts builds and installs the package' }],
  [/^npm run (steps:glossary|catalogue:doc)$/, { run: false, why: 'regenerates a doc; test/suite checks the committed docs/steps.md and docs/catalogue.md are current' }],
  [/^npm install --no-save \.\/vendor\/ese-conformance-[\d.]+\.tgz$/, { run: false, why: 'installing a tarball made by npm pack: test/packaging/install.test.ts does it' }],
  [/^npx ese-conformance smoke (--timeout-ms \d+ )?-- IMPL$/, { run: true, exit: 0, out: [/^smoke: all well/m] }],
  [/^npx ese-conformance run --adapter process --report-dir reports -- IMPL$/, { run: true, exit: 1, out: [/applicable IDs pass; \d+ of \d+ not checked: missing capabilities/, /^Not passing:$/m, /expected JET_err\w+ \(-?\d+\)/] }],
  [/^npx ese-conformance expectations --from reports\/matrix\.json -o (ci\/)?my-ese\.expectations$/, { run: true, exit: 0, out: [/my-ese\.expectations: \d+ entries/], err: /^$/ }],
  [/^npx ese-conformance run --adapter process --expectations (ci\/)?my-ese\.expectations -- IMPL$/, { run: true, exit: 0 }],
  [/^npx ese-conformance run --adapter process --reports minimal --report-dir reports --expectations ci\/my-ese\.expectations -- IMPL$/, { run: false, why: 'the gated run above with fewer report files (--reports minimal): the same scenarios and gate, which it runs; a full run takes minutes' }],
  [/^node -r ts-node\/register\/transpile-only cli\/main\.ts run --adapter process --expectations examples\/python-adapter\/python-model\.expectations -- python3 examples\/python-adapter\/adapter\.py( --fix after-term)?$/, { run: false, why: 'the same run, in-process: test/adoption/example.test.ts ("with its expectations file", "with one bug fixed")' }],
];

function planFor(line: string): Plan | undefined {
  return plans.find(([pattern]) => pattern.test(line))?.[1];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-readme-'));
const bin = path.join(work, '.bin');
after(() => fs.rmSync(work, { recursive: true, force: true }));

before(() => {
  // `ese-conformance` on PATH: this checkout's CLI through ts-node (no build needed).
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, 'ese-conformance'),
    `#!/bin/sh\nexec "${process.execPath}" -r "${path.join(repo, 'node_modules', 'ts-node', 'register', 'transpile-only')}" "${path.join(repo, 'cli', 'main.ts')}" "$@"\n`,
    { mode: 0o755 },
  );
});

interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}
const cache = new Map<string, Ran>();

/** Runs one documented line in `cwd` as a user would type it, `./my-ese --stdio` being the example. */
function execute(line: string, cwd: string): Ran {
  const command = line
    .replace(impl, `python3 ${example}`)
    .replace(/^npx ese-conformance /, 'ese-conformance ')
    .replace(/^npm ci && npm run conformance$/, conformanceScript());
  // Runs that read the same expectations are the same run: made once. The gate reads only the
  // entries; the comments `expectations --from` writes name the run's time and path, so they differ.
  const key = command.replace(/--expectations (\S+)/g, (_m, f: string) => {
    const file = path.join(cwd, f);
    if (!fs.existsSync(file)) return `--expectations ${f}`;
    const entries = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).join('\n');
    return `--expectations sha256:${crypto.createHash('sha256').update(entries).digest('hex')}`;
  });
  const known = cache.get(key);
  if (known !== undefined) return known;
  const r = spawnSync('bash', ['-c', command], {
    cwd,
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, TS_NODE_PROJECT: path.join(repo, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
  });
  const ran = { code: r.status, out: r.stdout, err: r.stderr };
  cache.set(key, ran);
  return ran;
}

/** `npm run conformance` as package.json defines it, with the CLI from this checkout. */
function conformanceScript(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const script = pkg.scripts.conformance;
  assert.match(script, /^node dist\/cli\/main\.js run /);
  return script.replace(/^node dist\/cli\/main\.js /, 'ese-conformance ');
}

for (const doc of ['README.md', 'docs/ci.md']) {
  describe(`${doc}: every command block`, () => {
    const lines = shellLines(fs.readFileSync(path.join(repo, doc), 'utf8'));
    it('has only lines this test knows', () => {
      assert.ok(lines.length >= 3, `${doc}: ${lines.length} shell lines`);
      const unknown = lines.filter((l) => planFor(l.replace(impl, 'IMPL')) === undefined);
      assert.deepEqual(unknown, [], 'a new documented command: add it to the plans of this test (run it, or say why not)');
    });
    for (const line of lines) {
      const plan = planFor(line.replace(impl, 'IMPL'));
      if (plan === undefined) continue;
      if (!plan.run) {
        it(`${line}: not run here (${plan.why})`, () => {
          assert.ok(plan.why.length > 0);
        });
        continue;
      }
      it(line, { timeout: 600_000 }, () => {
        const r = execute(line, work);
        assert.equal(r.code, plan.exit, `exit code\n--- stdout\n${r.out.slice(-3000)}\n--- stderr\n${r.err.slice(-3000)}`);
        for (const pattern of plan.out ?? []) assert.match(r.out, pattern);
        if (plan.err !== undefined) assert.match(r.err, plan.err);
      });
    }
  });
}

describe('expectations --from a run of fewer tiers than the gate will check', () => {
  it('warns that the other tiers have no entries and names the --tier to gate with', () => {
    const r = spawnSync(path.join(bin, 'ese-conformance'), ['expectations', '--from', path.join(repo, 'test', 'fixtures', 'matrix', 'esent-only.json')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TS_NODE_PROJECT: path.join(repo, 'tsconfig.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^warning: the run covered only the esent tier: there are no entries for documented; gate with the same --tier esent/m);
  });
});

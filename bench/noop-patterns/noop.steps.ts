/**
 * Step definitions that do nothing, with the suite's own patterns: cucumber's own cost of the
 * suite's step library (matching every step against every definition, extracting the arguments)
 * with no harness work at all. A second floor of bench/suite.ts, beside bench/noop-steps (two
 * catch-all patterns). The patterns are read by loading steps/*.steps.ts with cucumber's
 * Given/When/Then/defineStep replaced by a recorder (their bodies never run; no hook is loaded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cucumber from '@cucumber/cucumber';

type Registrar = (pattern: string | RegExp, ...rest: unknown[]) => void;
const names = ['Given', 'When', 'Then', 'defineStep'] as const;
const api = cucumber as unknown as Record<(typeof names)[number], Registrar>;

interface Found {
  readonly pattern: string | RegExp;
  readonly arity: number;
}

function suitePatterns(): Found[] {
  const dir = path.join(__dirname, '..', '..', 'steps');
  const ext = __filename.endsWith('.ts') ? '.steps.ts' : '.steps.js';
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f));
  const found: Found[] = [];
  const saved = names.map((n) => api[n]);
  for (const n of names) {
    api[n] = (pattern, ...rest) => {
      const fn = rest.find((r): r is (...a: unknown[]) => unknown => typeof r === 'function');
      found.push({ pattern, arity: fn?.length ?? 0 });
    };
  }
  try {
    // The step modules may be loaded already (a real run in this process): load them afresh.
    for (const f of files) delete require.cache[require.resolve(f)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for their registrations only, by a path known at run time
    for (const f of files) require(f);
  } finally {
    names.forEach((n, i) => (api[n] = saved[i]));
    // Leave no recorder-registered copy behind for a later real load.
    for (const f of files) delete require.cache[require.resolve(f)];
  }
  return found;
}

for (const { pattern, arity } of suitePatterns()) {
  const noop = function () {};
  // The same arity: cucumber reads it to tell a callback step from one that returns.
  Object.defineProperty(noop, 'length', { value: arity });
  cucumber.defineStep(pattern, noop);
}

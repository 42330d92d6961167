/**
 * Shared by the tests that drive hostile implementations (test/fixtures/hostile/): their paths,
 * process implementations closed after the file's tests, fault and leftover assertions, and the CLI
 * run in this process with its output captured.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openProcessImplementation, type ProcessImplementation } from '../../../adapters/process/adapter';
import type { CallResult } from '../../../adapters/types';
import { main } from '../../../cli/main';
import { root } from './run-cli';
import { describePids, leftovers } from './leftovers';

export const hostileFixtures = path.join(root, 'test', 'fixtures', 'hostile');
export const fixture = (name: string): string => path.join(hostileFixtures, `${name}.js`);

const opened = new Set<ProcessImplementation>();
// Registered when a test file imports this module (each test file runs in its own process).
after(async () => {
  await Promise.all([...opened].map((impl) => impl.close()));
});

/** Opens a process implementation (failing the test if it cannot start); closed after the file's tests. */
export async function open(command: string[], timeoutMs = 10_000): Promise<ProcessImplementation> {
  const impl = await openProcessImplementation({ command, timeoutMs });
  if ('error' in impl) assert.fail(impl.error);
  opened.add(impl as ProcessImplementation);
  return impl as ProcessImplementation;
}

export function assertNoneLeft(marker: string, when: string): void {
  const left = leftovers(marker);
  assert.deepEqual(left, [], `processes left ${when}: ${describePids(left)}`);
}

export function assertFault(r: CallResult | { kind: string }, kind: string, reason: RegExp): void {
  assert.equal(r.kind, kind, JSON.stringify(r));
  assert.match((r as { reason: string }).reason, reason);
}

/** `ese-conformance ARGS` in this process, outside GitHub Actions, with what it printed. */
export async function cli(args: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, GITHUB_ACTIONS: '' }, cwd: root });
  return { code, out, err };
}

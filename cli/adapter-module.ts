/**
 * `run --adapter-module FILE`: a user's own adapter, written against the public adapter interface
 * (`ese-conformance/adapter`), loaded from a CommonJS module (compiled TypeScript or plain
 * JavaScript). The module exports `createImplementation(options)`, or a default export, returning
 * an Implementation (or a promise of one). Anything wrong with the module is one line and exit 2.
 */
import * as path from 'node:path';
import type { AdapterFactory, AdapterOptions, Implementation } from '../adapters/types';
import { targetVersions } from '../api';
import { neutralise } from '../text/terminal';
import { UsageError } from './command';
import { withCallLimit } from './module-limits';
import { defaultTimeoutMs } from '../adapters/process/wire';

/** What the module exports. */
export type CreateImplementation = (options: AdapterOptions) => Implementation | Promise<Implementation>;

const expected = 'export createImplementation(options) or a default export returning an Implementation';

function firstLine(e: unknown): string {
  return neutralise((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '');
}

function creator(mod: unknown): CreateImplementation | undefined {
  if (typeof mod === 'function') return mod as CreateImplementation;
  if (typeof mod !== 'object' || mod === null) return undefined;
  const m = mod as { createImplementation?: unknown; default?: unknown };
  if (typeof m.createImplementation === 'function') return m.createImplementation as CreateImplementation;
  if (typeof m.default === 'function') return m.default as CreateImplementation;
  return undefined;
}

/** Why a value is not an Implementation, or undefined when it has the shape the suite calls. */
export function implementationProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `it returned ${value === null ? 'null' : typeof value}, not an Implementation`;
  const impl = value as Partial<Record<keyof Implementation, unknown>>;
  const missing = (['reset', 'call', 'close'] as const).filter((k) => typeof impl[k] !== 'function');
  if (missing.length > 0) return `the Implementation it returned has no ${missing.join(', ')} method`;
  const info = impl.info as Partial<Implementation['info']> | undefined;
  if (typeof info !== 'object' || info === null) return 'the Implementation it returned has no info';
  if (typeof info.name !== 'string' || typeof info.version !== 'string') return 'its info needs a name and a version (strings)';
  if (!targetVersions.includes(info.target as never)) return `its info.target must be one of ${targetVersions.join(', ')}`;
  if (info.pointerWidth !== 32 && info.pointerWidth !== 64) return 'its info.pointerWidth must be 32 or 64';
  if (!Array.isArray(info.capabilities)) return 'its info.capabilities must be an array';
  // A declared capability without its method would read as NOT_APPLICABLE (no hold) or FAIL: the
  // declaration is the module's error, and nothing of it was checked.
  const needs: Record<string, readonly (keyof Implementation)[]> = { 'in-flight': ['hold', 'release'], 'instance-state': ['forceInstanceState'], 'fault-injection': ['injectFault'] };
  for (const capability of info.capabilities as unknown[]) {
    const absent = (needs[String(capability)] ?? []).filter((k) => typeof impl[k] !== 'function');
    if (absent.length > 0) return `its info declares ${String(capability)} but it has no ${absent.join(', ')} method`;
  }
  return undefined;
}

/** The adapter factory of FILE (resolved against cwd); a module that cannot be loaded is a UsageError. */
export function adapterModuleFactory(file: string, cwd: string): AdapterFactory {
  const resolved = path.resolve(cwd, file);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the user's module by its path, at run time
    mod = require(resolved);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' && firstLine(e).includes(resolved)) throw new UsageError('ERR_ESE_ADAPTER_MODULE', `--adapter-module ${file}: no such module (${resolved})`);
    if (code === 'ERR_REQUIRE_ESM') throw new UsageError('ERR_ESE_ADAPTER_MODULE', `--adapter-module ${file}: an ES module; give a CommonJS module (.js or .cjs) that ${expected}`);
    throw new UsageError('ERR_ESE_ADAPTER_MODULE', `--adapter-module ${file}: loading it failed: ${firstLine(e)}`);
  }
  const create = creator(mod);
  if (create === undefined) throw new UsageError('ERR_ESE_ADAPTER_MODULE', `--adapter-module ${file}: ${expected}`);
  return {
    name: `module:${file}`,
    description: `the adapter module ${file}`,
    async open(options) {
      let impl: unknown;
      try {
        impl = await create(options);
      } catch (e) {
        return { error: `its createImplementation threw: ${firstLine(e)}` };
      }
      const problem = implementationProblem(impl);
      // In this process, a call that never settles would wait for cucumber's step limit: --timeout-ms bounds it.
      return problem === undefined ? withCallLimit(impl as Implementation, options.timeoutMs ?? defaultTimeoutMs) : { error: `${problem} (${expected})` };
    },
  };
}

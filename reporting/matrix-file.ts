/**
 * Reading a matrix.json given on the command line. The file may come from another machine or an
 * older suite: its shape is checked before anything is rendered, and a bad file is one UsageError.
 */
import * as fs from 'node:fs';
import { UsageError } from './usage-error';
import { matrixSchemaVersion, statuses, tiers, type Matrix } from '../harness/results';

export function readMatrix(file: string): Matrix {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    throw new UsageError(errno === 'ENOENT' ? 'ERR_ESE_FILE_NOT_FOUND' : 'ERR_ESE_FILE_UNREADABLE', `cannot read ${file}: ${errno ?? String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError('ERR_ESE_NOT_A_MATRIX', `${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problem = matrixProblem(data);
  if (problem !== undefined) throw new UsageError('ERR_ESE_NOT_A_MATRIX', `${file} is not a matrix.json of this suite: ${problem}`);
  return data as Matrix;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isTier = (v: unknown) => (tiers as readonly unknown[]).includes(v);
const isStatus = (v: unknown) => (statuses as readonly unknown[]).includes(v);

/** The first thing wrong with a would-be matrix, or undefined. Checks what the reports rely on. */
export function matrixProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'not an object';
  if (data.schemaVersion !== matrixSchemaVersion) return `schemaVersion is ${JSON.stringify(data.schemaVersion)}, expected ${matrixSchemaVersion}`;
  const impl = data.implementation;
  if (!isObject(impl) || !isString(impl.name) || !isString(impl.version) || !isString(impl.target) || !Array.isArray(impl.capabilities)) {
    return 'implementation must have name, version, target and capabilities';
  }
  if (impl.pointerWidth !== 32 && impl.pointerWidth !== 64) return 'implementation.pointerWidth must be 32 or 64';
  if (!isObject(data.suite) || !isString(data.suite.name) || !isString(data.suite.version)) return 'suite must have name and version';
  for (const key of ['catalogueVersion', 'adapter', 'startedAt'] as const) if (!isString(data[key])) return `${key} must be a string`;
  if (typeof data.durationMs !== 'number') return 'durationMs must be a number';
  if (!Array.isArray(data.tiers) || data.tiers.length === 0 || !data.tiers.every(isTier)) return `tiers must list ${tiers.join(' and/or ')}`;
  if (!Array.isArray(data.scores) || !data.scores.every((s) => isObject(s) && isTier(s.tier) && typeof s.passed === 'number' && typeof s.applicable === 'number' && (s.score === null || typeof s.score === 'number'))) {
    return 'scores must be {tier, passed, applicable, score} entries';
  }
  if (!Array.isArray(data.ids)) return 'ids must be an array';
  for (const [i, r] of data.ids.entries()) {
    if (!isObject(r) || !isString(r.id) || !isString(r.group) || !isTier(r.tier) || !isStatus(r.status) || typeof r.deviates !== 'boolean' || !Array.isArray(r.scenarios) || !r.scenarios.every(isString)) {
      return `ids[${i}] must have id, group, tier, status, deviates and scenarios`;
    }
  }
  if (!Array.isArray(data.scenarios)) return 'scenarios must be an array';
  for (const [i, s] of data.scenarios.entries()) {
    if (!isObject(s) || !isString(s.id) || !isString(s.catalogueId) || !isTier(s.tier) || !isStatus(s.status) || !isString(s.feature) || !isString(s.scenario) || typeof s.line !== 'number') {
      return `scenarios[${i}] must have id, catalogueId, tier, status, feature, scenario and line`;
    }
    if (!Array.isArray(s.tags) || !Array.isArray(s.doc) || !Array.isArray(s.trace)) return `scenarios[${i}] must have tags, doc and trace arrays`;
    for (const key of ['reason', 'expected', 'actual', 'stderrTail'] as const) {
      if (s[key] !== undefined && !isString(s[key])) return `scenarios[${i}].${key} must be a string`;
    }
    for (const [j, t] of s.trace.entries()) {
      if (!isObject(t) || typeof t.seq !== 'number' || !isString(t.thread) || !isString(t.kind) || !isString(t.result)) {
        return `scenarios[${i}].trace[${j}] must have seq, thread, kind and result`;
      }
    }
  }
  return undefined;
}

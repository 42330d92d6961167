/**
 * The system parameters the engine models, with ESE's defaults and ranges
 * (ESE src/ese/sysparamtable.g.cxx: MaxSessions 16 in 0..30000, MaxOpenTables 300, MaxCursors
 * 1024, MaxTemporaryTables 20, each 0..2^31-1; all "may not be written after instance init").
 */
import { JET_params } from '../api/codes';

export interface InstanceParams {
  maxSessions: number;
  maxOpenTables: number;
  maxCursors: number;
  maxTemporaryTables: number;
}

type ParamKey = keyof InstanceParams;

interface ParamDef {
  readonly key: ParamKey;
  readonly low: number;
  readonly high: number;
}

const int32Max = 2147483647;

export const modelledParams: ReadonlyMap<number, ParamDef> = new Map<number, ParamDef>([
  [JET_params.JET_paramMaxSessions, { key: 'maxSessions', low: 0, high: 30000 }],
  [JET_params.JET_paramMaxOpenTables, { key: 'maxOpenTables', low: 0, high: int32Max }],
  [JET_params.JET_paramMaxCursors, { key: 'maxCursors', low: 0, high: int32Max }],
  [JET_params.JET_paramMaxTemporaryTables, { key: 'maxTemporaryTables', low: 0, high: int32Max }],
]);

/** JET_paramMaxValueInvalid (jethdr.w): paramids at or above it are unknown to ESE. */
export const paramIdLimit = 221;

export function defaultParams(): InstanceParams {
  return { maxSessions: 16, maxOpenTables: 300, maxCursors: 1024, maxTemporaryTables: 20 };
}

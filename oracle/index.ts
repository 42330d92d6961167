/**
 * The reference engine (spec oracle): a behavioural model of ESE's instance, session,
 * transaction, cursor and temp-table life cycle, answering the numeric JET_ERR codes ESENT gives.
 * No test framework is imported anywhere under oracle/.
 */
export { Engine, holdableOps } from './engine';
export type { CompletedTerm, EngineCall, Released } from './engine';
export type { EngineArgs, EngineOut, EngineResult, PendingTerm } from './api';
export { isPending, handleKeys } from './api';
export type { EngineOptions } from './engine';
export type { OpTable } from './api';
export type { JET_HANDLE, ForgedKind } from './handles';
export { forgedHandle, formatHandle, parseHandle, JET_handleNil, JET_handleZero, JET_handleNeverIssued } from './handles';
export { defaultParams } from './params';
export * from '../api/codes';

/**
 * The messages of protocol v1 as TypeScript types (docs/protocol.md; the JSON Schemas in
 * schemas/protocol/ are the normative form). Shared by the adapter (client) and serve (server).
 */
import { operationNames, type Capability, type CleanupStep, type HandleArg, type OperationName, type TargetVersion } from '../../api';

export const protocolVersion = 1;
export const defaultTimeoutMs = 10_000;
/**
 * One scenario, from its reset on. The heaviest scenarios make about 1,000 requests (whole-state
 * observation probes limits by filling them): about 210 s at 200 ms per answer.
 */
export const defaultScenarioTimeoutMs = 10 * 60_000;
/** The whole run (about 26,000 requests, 90 min at 200 ms per answer): below a CI job's usual 6 h limit. */
export const defaultBudgetMs = 5.5 * 60 * 60_000;
export const defaultMaxLineBytes = 1024 * 1024;
/** How much of the implementation's stderr a fault carries. */
export const stderrTailBytes = 4096;

export type Request =
  | {
      id: number;
      cmd: 'hello';
      protocol: number;
      suite: { name: string; version: string };
      timeoutMs: number;
      maxLineBytes: number;
    }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'call' | 'hold'; thread: string; op: string; args: Record<string, unknown> }
  | { id: number; cmd: 'release'; hold: string }
  | { id: number; cmd: 'force-instance-state'; instance: HandleArg; state: string; cause?: number }
  | { id: number; cmd: 'inject-fault'; step: CleanupStep; err: number; times: number }
  | { id: number; cmd: 'shutdown' };

export type Command = Request['cmd'];

export type ErrorCode = 'unknown-command' | 'unknown-operation' | 'bad-request' | 'unsupported-protocol' | 'reset-failed';

export interface HelloAnswer {
  id: number;
  result: 'hello';
  protocol: number;
  implementation: { name: string; version: string };
  target: TargetVersion;
  pointerWidth: 32 | 64;
  capabilities: Capability[];
}

export type Answer =
  | HelloAnswer
  | { id: number; result: 'ok' }
  | { id: number; result: 'returned'; err: number; out?: Record<string, unknown> }
  | { id: number; result: 'crash'; code: string; message: string }
  | { id: number; result: 'unsupported'; reason: string }
  | { id: number; result: 'held'; hold: string }
  | { id: number; result: 'error'; error: ErrorCode; message: string };

export type ResultKind = Answer['result'];

/** The answer kinds each request may get (docs/protocol.md section 2). */
export const allowedResults: Record<Command, readonly ResultKind[]> = {
  hello: ['hello', 'error'],
  reset: ['ok', 'error', 'crash'],
  call: ['returned', 'crash', 'unsupported', 'error'],
  hold: ['held', 'returned', 'crash', 'unsupported', 'error'],
  release: ['returned', 'crash', 'unsupported', 'error'],
  'force-instance-state': ['ok', 'crash', 'unsupported', 'error'],
  'inject-fault': ['ok', 'crash', 'unsupported', 'error'],
  shutdown: ['ok'],
};

export function isOperation(op: string): op is OperationName {
  return (operationNames as readonly string[]).includes(op);
}

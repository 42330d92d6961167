/**
 * The process adapter (any implementation, any language, over JSON lines: docs/protocol.md) and
 * the protocol's server side.
 *
 * @packageDocumentation
 */
import type { AdapterFactory } from '../types';
import { openProcessImplementation } from './adapter';
import { packageVersion as suiteVersion } from '../package-version';

export { openProcessImplementation, ProcessImplementation, wireArgs, type ProcessAdapterOptions } from './adapter';
export { ProcessConnection, type Outcome, type RequestBody } from './connection';
export { serve, type ServeEnd } from './serve';
export { protocolVersion, defaultTimeoutMs, defaultScenarioTimeoutMs, defaultBudgetMs, defaultMaxLineBytes } from './wire';

/** The suite's version, sent in `hello`. */
export { packageVersion as suiteVersion } from '../package-version';

export const processAdapterFactory: AdapterFactory = {
  name: 'process',
  description: 'an implementation in any language, run as a program speaking JSON lines (docs/protocol.md)',
  open: (options) => openProcessImplementation({ ...options, suiteVersion: suiteVersion() }),
};

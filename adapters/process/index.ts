/**
 * The process adapter (any implementation, any language, over JSON lines: docs/protocol.md) and
 * the protocol's server side.
 *
 * @packageDocumentation
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdapterFactory } from '../types';
import { openProcessImplementation } from './adapter';

export { openProcessImplementation, ProcessImplementation, wireArgs, type ProcessAdapterOptions } from './adapter';
export { ProcessConnection, type Outcome, type RequestBody } from './connection';
export { serve, type ServeEnd } from './serve';
export { protocolVersion, defaultTimeoutMs, defaultMaxLineBytes } from './wire';

/** The suite's version, sent in `hello`. */
export function suiteVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ese-conformance' && pkg.version) return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export const processAdapterFactory: AdapterFactory = {
  name: 'process',
  description: 'an implementation in any language, run as a program speaking JSON lines (docs/protocol.md)',
  open: (options) => openProcessImplementation({ ...options, suiteVersion: suiteVersion() }),
};

/**
 * The protocol's three forms agree: the TypeScript interface (adapters/types.ts), the JSON Schemas
 * (schemas/protocol/) and the page implementers read (docs/protocol.md, every example in it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { operationNames, type ArgsOf, type OperationName, type OutOf } from '../../adapters/types';
import { schemaDir, validator, violation } from '../../adapters/process/schema';
import { wireArgs } from '../../adapters/process/adapter';

const h = '0x7f0010';
const forged = { forged: 'never-issued' } as const;

/** One value of every operation's args; tsc checks each against the interface, exactly. */
const sampleArgs: { [O in OperationName]: ArgsOf<O> } = {
  JetCreateInstance: { name: 'i' },
  JetSetSystemParameter: { instance: null, sesid: null, paramid: 5, lParam: -1 },
  JetInit: { instance: h },
  JetTerm: { instance: { forged: 'nil' } },
  JetTerm2: { instance: h, grbit: 1 },
  JetStopService: {},
  JetStopServiceInstance: { instance: h },
  JetStopServiceInstance2: { instance: h, grbit: 0 },
  JetBeginSession: { instance: h, username: '', password: '' },
  JetDupSession: { sesid: h },
  JetEndSession: { sesid: forged, grbit: 0xffffffff },
  JetSetSessionContext: { sesid: h, context: 42 },
  JetResetSessionContext: { sesid: h },
  JetBeginTransaction: { sesid: h },
  JetBeginTransaction2: { sesid: h, grbit: 1 },
  JetCommitTransaction: { sesid: h, grbit: 0 },
  JetRollback: { sesid: h, grbit: 1 },
  JetCreateDatabase: { sesid: h, filename: 'a.edb', grbit: 0 },
  JetAttachDatabase: { sesid: h, filename: 'a.edb', grbit: 0 },
  JetOpenDatabase: { sesid: h, filename: 'a.edb', grbit: 2 },
  JetCloseDatabase: { sesid: h, dbid: 1, grbit: 0 },
  JetCreateTable: { sesid: h, dbid: 1, tablename: 't' },
  JetAddColumn: { sesid: h, tableid: h, column: 'c', coltyp: 4 },
  JetOpenTable: { sesid: h, dbid: 1, tablename: 't', grbit: 2 },
  JetDupCursor: { sesid: h, tableid: h, grbit: 0 },
  JetCloseTable: { sesid: h, tableid: h },
  JetPrepareUpdate: { sesid: h, tableid: h, prep: 0 },
  JetSetColumn: { sesid: h, tableid: h, columnid: 1, value: 'text' },
  JetUpdate: { sesid: h, tableid: h },
  JetDelete: { sesid: h, tableid: h },
  JetMove: { sesid: h, tableid: h, cRow: 0x80000000 | 0, grbit: 0 },
  JetRetrieveColumn: { sesid: h, tableid: h, columnid: 1 },
  JetOpenTempTable: { sesid: h, columns: [{ coltyp: 4, grbit: 1 }], grbit: 0 },
};

const sampleOut: { [O in OperationName]: OutOf<O> } = {
  JetCreateInstance: { instance: h },
  JetSetSystemParameter: {},
  JetInit: {},
  JetTerm: {},
  JetTerm2: {},
  JetStopService: {},
  JetStopServiceInstance: {},
  JetStopServiceInstance2: {},
  JetBeginSession: { sesid: h },
  JetDupSession: { sesid: h },
  JetEndSession: {},
  JetSetSessionContext: {},
  JetResetSessionContext: {},
  JetBeginTransaction: {},
  JetBeginTransaction2: {},
  JetCommitTransaction: {},
  JetRollback: {},
  JetCreateDatabase: { dbid: 1 },
  JetAttachDatabase: {},
  JetOpenDatabase: { dbid: 2 },
  JetCloseDatabase: {},
  JetCreateTable: { tableid: h },
  JetAddColumn: { columnid: 256 },
  JetOpenTable: { tableid: h },
  JetDupCursor: { tableid: h },
  JetCloseTable: {},
  JetPrepareUpdate: {},
  JetSetColumn: {},
  JetUpdate: {},
  JetDelete: {},
  JetMove: {},
  JetRetrieveColumn: { value: null },
  JetOpenTempTable: { tableid: h, columnids: [1] },
};

function loadSchema(name: string): { $defs: Record<string, Record<string, unknown>> } {
  return JSON.parse(fs.readFileSync(path.join(schemaDir(), `${name}.schema.json`), 'utf8')) as { $defs: Record<string, Record<string, unknown>> };
}

test('the schemas define exactly the operations of adapters/types.ts', () => {
  const ops = loadSchema('operations').$defs;
  for (const part of ['args', 'out', 'answer']) assert.deepEqual(Object.keys(ops[part]).sort(), [...operationNames].sort(), part);
  assert.deepEqual([...(ops.opName as { enum: string[] }).enum].sort(), [...operationNames].sort());
});

test('every operation: the interface args (as sent on the wire) and out-values fit the schema', () => {
  for (const op of operationNames) {
    assert.equal(violation('operations', `/$defs/args/${op}`, wireArgs(op, sampleArgs[op])), undefined, `args of ${op}`);
    assert.equal(violation('operations', `/$defs/out/${op}`, sampleOut[op]), undefined, `out of ${op}`);
    const call = { id: 9, cmd: 'call', thread: 't1', op, args: wireArgs(op, sampleArgs[op]) };
    assert.equal(violation('requests', '', call), undefined, `call of ${op}`);
    const answer = { id: 9, result: 'returned', err: 0, out: sampleOut[op] };
    assert.equal(violation('operations', `/$defs/answer/${op}`, answer), undefined, `answer of ${op}`);
  }
});

test('the schemas reject what the page forbids, naming the field', () => {
  assert.match(violation('operations', '/$defs/out/JetBeginSession', { sesid: 5 }, '/out') ?? '', /^\/out\/sesid must be string/);
  assert.match(violation('operations', '/$defs/out/JetBeginSession', {}, '/out') ?? '', /must have required property 'sesid'/);
  assert.match(violation('operations', '/$defs/args/JetEndSession', { sesid: { forged: 'bogus' }, grbit: 0 }) ?? '', /forged must be one of "nil", "zero", "never-issued"/);
  assert.match(violation('answers', '/$defs/returned', { id: 1, result: 'returned', err: 0.5 }) ?? '', /\/err must be integer/);
  assert.match(violation('answers', '/$defs/returned', { id: 1, result: 'returned', err: 0, extra: 1 }) ?? '', /field 'extra'/);
  assert.equal(violation('answers', '/$defs/returned', { id: 1, result: 'returned', err: 0, 'x-note': 'mine' }), undefined);
  assert.match(violation('answers', '/$defs/hello', { id: 1, result: 'hello', protocol: 1, implementation: { name: 'x', version: '1' }, target: 'current', pointerWidth: 48, capabilities: [] }) ?? '', /pointerWidth must be one of 32, 64/);
  assert.match(violation('answers', '/$defs/hello', { id: 1, result: 'hello', protocol: 1, implementation: { name: 'x', version: '1' }, target: 'current', pointerWidth: 64, capabilities: ['teleport'] }) ?? '', /capabilities\/0 must be one of/);
  // A failed call needs no out-values; a successful one does.
  assert.equal(violation('operations', '/$defs/answer/JetBeginSession', { id: 3, result: 'returned', err: -1104 }), undefined);
  assert.notEqual(violation('operations', '/$defs/answer/JetBeginSession', { id: 3, result: 'returned', err: 0 }), undefined);
  assert.notEqual(violation('requests', '', { id: 3, cmd: 'force-instance-state', instance: h, state: 'fatal-error' }), undefined, 'fatal-error needs a cause');
});

/** Every JSON line of the page: in ```json blocks and in the transcript (after "> " or "< "). */
function docLines(): { text: string; where: string }[] {
  const doc = fs.readFileSync(path.join(schemaDir(), '..', '..', 'docs', 'protocol.md'), 'utf8').split('\n');
  const found: { text: string; where: string }[] = [];
  let inBlock = false;
  doc.forEach((line, i) => {
    if (line.startsWith('```')) {
      inBlock = !inBlock;
      return;
    }
    if (!inBlock) return;
    const text = line.replace(/^[<>] /, '');
    if (text.startsWith('{')) found.push({ text, where: `docs/protocol.md:${i + 1}` });
  });
  return found;
}

test('every example in docs/protocol.md is valid against the schemas', () => {
  const lines = docLines();
  assert.ok(lines.length >= 40, `found only ${lines.length} example lines`);
  const opOfId = new Map<number, string>();
  for (const { text, where } of lines) {
    const msg = JSON.parse(text) as { id: number; cmd?: string; op?: string; result?: string };
    if (msg.cmd !== undefined) {
      if (msg.op === 'JetFrobnicate') continue; // the unknown operation, on purpose
      assert.equal(violation('requests', '', msg), undefined, `${where}: ${text}`);
      if (msg.op) opOfId.set(msg.id, msg.op);
    } else {
      assert.equal(violation('answers', '', msg), undefined, `${where}: ${text}`);
      const op = opOfId.get(msg.id);
      if (op && msg.result === 'returned') assert.equal(violation('operations', `/$defs/answer/${op}`, msg), undefined, `${where}: ${text}`);
    }
  }
});

test('validators compile lazily and are cached', () => {
  assert.equal(validator('answers', '/$defs/ok'), validator('answers', '/$defs/ok'));
});

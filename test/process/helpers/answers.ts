/**
 * Reads serve()'s answers off its output stream: each line parsed and checked against the protocol's
 * answer schema; next() gives the next answer, or rejects when none comes within `patienceMs`.
 */
import assert from 'node:assert/strict';
import { PassThrough, type Readable } from 'node:stream';
import { violation } from '../../../adapters/process/schema';
import { serve, type ServeOptions } from '../../../adapters/process/serve';
import type { Implementation } from '../../../adapters/types';
import { createReferenceImplementation } from '../../../adapters/reference';

export type Answer = Record<string, unknown>;

export function answerReader(output: Readable, patienceMs: number): () => Promise<Answer> {
  const answers: Answer[] = [];
  const waiting: ((a: Answer) => void)[] = [];
  let buffered = '';
  output.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const a = JSON.parse(buffered.slice(0, nl)) as Answer;
      buffered = buffered.slice(nl + 1);
      assert.equal(violation('answers', '', a), undefined, JSON.stringify(a));
      const w = waiting.shift();
      if (w) w(a);
      else answers.push(a);
    }
  });
  return () =>
    new Promise<Answer>((resolve, reject) => {
      const a = answers.shift();
      if (a) return resolve(a);
      const timer = setTimeout(() => reject(new Error(`no answer within ${patienceMs / 1000} s`)), patienceMs);
      waiting.push((x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
}

/**
 * serve() of a fresh reference engine on streams: send() a request (numbered here) and get its id,
 * next() the next answer (schema-checked), ask() both; end() closes serve()'s input. `options`
 * gives serve() more options made from the engine (e.g. its callSync).
 */
export function referenceOnStreams(patienceMs = 5000, options: (impl: Implementation) => ServeOptions = () => ({})): {
  readonly send: (req: Record<string, unknown>) => number;
  readonly next: () => Promise<Answer>;
  readonly ask: (req: Record<string, unknown>) => Promise<Answer>;
  readonly end: () => void;
} {
  const input = new PassThrough();
  const output = new PassThrough();
  const impl = createReferenceImplementation();
  void serve(impl, input, output, { log: () => undefined, ...options(impl) });
  const next = answerReader(output, patienceMs);
  let id = 0;
  const send = (req: Record<string, unknown>) => {
    input.write(JSON.stringify({ id: ++id, ...req }) + '\n');
    return id;
  };
  const ask = (req: Record<string, unknown>) => {
    send(req);
    return next();
  };
  return { send, next, ask, end: () => input.end() };
}

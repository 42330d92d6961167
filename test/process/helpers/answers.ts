/**
 * Reads serve()'s answers off its output stream: each line parsed and checked against the protocol's
 * answer schema; next() gives the next answer, or rejects when none comes within `patienceMs`.
 */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { violation } from '../../../adapters/process/schema';

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

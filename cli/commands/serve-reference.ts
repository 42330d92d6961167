/**
 * `ese-conformance serve-reference`: the reference engine behind protocol v1 on stdin/stdout, a
 * live example for adapter authors and the far end of the process adapter's own tests. Loads only
 * the engine and the protocol server (no cucumber), so it starts fast.
 */
import type { Implementation } from '../../adapters/types';
import { UsageError, type Command } from '../command';

const usage = `Usage: ese-conformance serve-reference [--max-line-bytes N]

Serves the reference engine over the JSON-lines protocol (docs/protocol.md): requests on stdin,
answers on stdout, notes on stderr. Exits 0 after a shutdown request or the end of stdin.

  --max-line-bytes N   size limit of one request line (default 1048576)

Example: ese-conformance run --adapter process -- ese-conformance serve-reference`;

function parse(argv: readonly string[]): { maxLineBytes?: number } {
  let maxLineBytes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--max-line-bytes') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1024) throw new UsageError('ERR_ESE_INVALID_VALUE', '--max-line-bytes needs an integer of at least 1024');
      maxLineBytes = v;
    } else {
      throw new UsageError('ERR_ESE_UNKNOWN_OPTION', `unknown argument '${a}'; see 'ese-conformance serve-reference --help'`);
    }
  }
  return maxLineBytes === undefined ? {} : { maxLineBytes };
}

export const command: Command = {
  name: 'serve-reference',
  summary: 'serve the reference engine over the JSON-lines protocol on stdio',
  usage,
  async run(argv, io) {
    const options = parse(argv);
    // Required lazily: the engine is another engineer's module, and `--help` must not need it.
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose (see above); typed by the casts */
    const reference = require('../../adapters/reference') as {
      createReferenceImplementation(): Implementation | Promise<Implementation>;
      synchronousCall: typeof import('../../adapters/reference').synchronousCall;
    };
    const { serve } = require('../../adapters/process/serve') as typeof import('../../adapters/process/serve');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const impl = await reference.createReferenceImplementation();
    // A batch's calls answered at once by the engine (no promise per call; terms still through call()).
    const callSync = reference.synchronousCall(impl);
    await serve(impl, process.stdin, process.stdout, { ...options, log: io.err, ...(callSync === undefined ? {} : { callSync }) });
    process.stdin.destroy();
    return 0;
  },
};

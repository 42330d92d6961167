// An --adapter-module whose JetEndSession accepts any sesid (so the run FAILs) and whose shutdown
// ends the process late, after `run` has decided its exit code: LATE_EXIT=timer (a flush timer
// calling process.exit(0)), beforeExit, exit (process.exit(0) in an exit handler) or exit-code
// (process.exitCode = 0 in an exit handler). The run's exit code must stand.
'use strict';
const { referenceWith } = require('./reference-module');

function lateExit(how) {
  if (how === 'timer') setTimeout(() => process.exit(0), 100);
  if (how === 'beforeExit') process.on('beforeExit', () => process.exit(0));
  if (how === 'exit') process.on('exit', () => process.exit(0));
  if (how === 'exit-code') process.on('exit', () => { process.exitCode = 0; });
}

exports.createImplementation = () =>
  referenceWith((impl) => ({
    call: (thread, op, args) => (op === 'JetEndSession' ? Promise.resolve({ kind: 'returned', err: 0, out: {} }) : impl.call(thread, op, args)),
    close: () => {
      lateExit(process.env.LATE_EXIT);
      return impl.close();
    },
  }));

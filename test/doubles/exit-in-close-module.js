// An --adapter-module that conforms (the reference engine) but ends the process with
// process.exit(0) when it is closed after being used, as an engine's shutdown flush might: its
// scenarios all pass, the exit at close must still be a CRASH (serial: the run's exit 1; parallel:
// the last scenario of the worker). `run --parallel` opens and closes one unused in its own process
// first, which must not exit.
'use strict';
const { referenceWith } = require('./reference-module');

exports.createImplementation = () => {
  let used = false;
  return referenceWith((impl) => ({
    call: (thread, op, args) => {
      used = true;
      return impl.call(thread, op, args);
    },
    close: () => impl.close().then(() => used && process.exit(0)),
  }));
};

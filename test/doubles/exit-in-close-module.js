// An --adapter-module that conforms (the reference engine) but ends the process with
// process.exit(0) when it is closed after being used, as an engine's shutdown flush might: its
// scenarios all pass, the exit at close must still be a CRASH (serial: the run's exit 1; parallel:
// the last scenario of the worker). `run --parallel` opens and closes one unused in its own process
// first, which must not exit.
'use strict';
const { createReferenceImplementation } = require('../../adapters/reference');

exports.createImplementation = () => {
  const impl = createReferenceImplementation();
  let used = false;
  return {
    info: impl.info,
    reset: () => impl.reset(),
    hold: (t, c) => impl.hold(t, c),
    release: (h) => impl.release(h),
    forceInstanceState: (i, s) => impl.forceInstanceState(i, s),
    injectFault: (f) => impl.injectFault(f),
    call: (thread, op, args) => {
      used = true;
      return impl.call(thread, op, args);
    },
    close: () => impl.close().then(() => used && process.exit(0)),
  };
};

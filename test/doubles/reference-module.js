// The reference engine as an --adapter-module's implementation, every method delegated to it;
// `overrides(impl)` replaces the methods a double changes (its bug, its exit).
'use strict';
const { createReferenceImplementation } = require('../../adapters/reference');

exports.referenceWith = (overrides) => {
  const impl = createReferenceImplementation();
  return {
    info: impl.info,
    reset: () => impl.reset(),
    close: () => impl.close(),
    hold: (t, c) => impl.hold(t, c),
    release: (h) => impl.release(h),
    forceInstanceState: (i, s) => impl.forceInstanceState(i, s),
    injectFault: (f) => impl.injectFault(f),
    call: (thread, op, args) => impl.call(thread, op, args),
    ...overrides(impl),
  };
};

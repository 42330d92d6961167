/**
 * An engine that declares a capability and refuses some of its uses, as the native bridge over a
 * real engine does: it holds in flight only a JetUpdate or JetDelete (a JET callback inside the
 * engine, bridge/win32/hold.h), and over ESE's test build it fails only the undo step (ESE's
 * database and sort closes cannot fail, bridge/win32/inject.c). Each refusal is `unsupported` with
 * its reason; every other use goes to the inner engine.
 */
import type { AdapterStatus, FaultSpec, HoldResult, Implementation } from '../../adapters/types';
import type { ApiCall } from '../../api';
import { WrappedImplementation } from '../../mutants/wrap';

export class HoldsOnlyUpdates extends WrappedImplementation {
  constructor(inner: Implementation) {
    super(inner, 'holds-only-updates');
  }

  override hold(thread: string, call: ApiCall): Promise<HoldResult> {
    if (call.op === 'JetUpdate' || call.op === 'JetDelete') return super.hold(thread, call);
    return Promise.resolve({ kind: 'unsupported', reason: `no callback inside ${call.op}` });
  }
}

export class InjectsOnlyUndo extends WrappedImplementation {
  constructor(inner: Implementation) {
    super(inner, 'injects-only-undo');
  }

  override injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    if (fault.step === 'undo') return super.injectFault(fault);
    return Promise.resolve({ kind: 'unsupported', reason: `no failure path at ${fault.step}` });
  }
}

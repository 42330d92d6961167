/**
 * Implementations that declare a capability and ignore it (issue 16, item 7): the reference with
 * one capability's test control answered "ok" but not applied. A scenario that needs the capability
 * and still passes against such an implementation proves nothing about what the capability sets up
 * (a vacuous expectation); test/suite/capabilities.test.ts asserts that none does. They are not in
 * the mutant catalogue: they break the test controls, not the API.
 */
import { createReferenceImplementation } from '../adapters/reference';
import type { AdapterStatus, CallResult, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, ArgsOf, Capability, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { WrappedImplementation } from './wrap';

/** force-instance-state answers ok and changes nothing. */
class IgnoresInstanceState extends WrappedImplementation {
  override forceInstanceState(_instance: HandleArg, _state: ForcedInstanceState): Promise<AdapterStatus> {
    return Promise.resolve({ kind: 'ok' });
  }
}

/** inject-fault answers ok and no clean-up step ever fails. */
class IgnoresFaultInjection extends WrappedImplementation {
  override injectFault(_fault: FaultSpec): Promise<AdapterStatus> {
    return Promise.resolve({ kind: 'ok' });
  }
}

/** hold runs the call at once, as a plain call, and hands its result back at release. */
class IgnoresInFlight extends WrappedImplementation {
  private readonly results = new Map<string, CallResult>();
  private next = 0;

  override async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    const r = await this.inner.call(thread, call.op, call.args);
    const hold = `ignored-hold-${++this.next}`;
    this.results.set(hold, r);
    return { kind: 'held', hold };
  }

  override release(hold: string): Promise<CallResult> {
    const r = this.results.get(hold);
    this.results.delete(hold);
    return Promise.resolve(r ?? { kind: 'unsupported', reason: `no held call ${hold}` });
  }

  override reset(): Promise<AdapterStatus> {
    this.results.clear();
    return super.reset();
  }
}

/** Every logical thread is one thread: thread names are ignored, so thread-bound state is shared. */
class IgnoresThreads extends WrappedImplementation {
  private static readonly only = 't1';

  override call<O extends OperationName>(_thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    return this.inner.call(IgnoresThreads.only, op, args);
  }

  override hold(_thread: string, call: ApiCall): Promise<HoldResult> {
    return super.hold(IgnoresThreads.only, call);
  }
}

export interface CapabilityIgnorer {
  readonly capability: Capability;
  /** One line: what is ignored and how. */
  readonly description: string;
  readonly create: () => Implementation;
}

/** One per capability: the reference declaring every capability and ignoring this one. */
export const capabilityIgnorers: readonly CapabilityIgnorer[] = [
  { capability: 'instance-state', description: 'force-instance-state answers ok and changes nothing', create: () => new IgnoresInstanceState(createReferenceImplementation(), 'ignores-instance-state') },
  { capability: 'fault-injection', description: 'inject-fault answers ok and no clean-up step fails', create: () => new IgnoresFaultInjection(createReferenceImplementation(), 'ignores-fault-injection') },
  { capability: 'in-flight', description: 'hold runs the call at once and answers its result at release', create: () => new IgnoresInFlight(createReferenceImplementation(), 'ignores-in-flight') },
  { capability: 'threads', description: 'every call runs on one thread whatever thread it names', create: () => new IgnoresThreads(createReferenceImplementation(), 'ignores-threads') },
];

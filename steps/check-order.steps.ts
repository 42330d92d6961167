/** The pairwise check-order outline (features/generated/check-order.feature, from catalogue/check-order.json). */
import { Given, When } from '@cucumber/cucumber';
import { conditions, endTarget, establish, neverIssued, probeSessions, takeAway } from '../harness/conditions';
import { SuiteError } from '../harness/errors';
import { then, type Maybe } from '../harness/maybe';
import { glue, type EseWorld } from './world';

/** One condition of catalogue/check-order.json made to hold for s1 of i1 (harness/conditions.ts). */
Given(
  /^the condition "([^"]+)" holds$/,
  glue(function (this: EseWorld, name: string) {
    return establish(this.ctx, name);
  }),
);

function endFrom(world: EseWorld, session: string, thread = 't1'): Maybe<void> {
  const sesid = session === neverIssued ? { forged: 'never-issued' as const } : world.ctx.handle(session);
  return then(world.ctx.actNow(thread, 'JetEndSession', { sesid, grbit: 0 }), (result) => {
    if (result.err === 0) world.ctx.shadow.end(session);
  });
}

/** JetEndSession, from thread t1, on s1, or on a never-issued handle when the condition "invalid handle" holds. */
When(
  /^the session the conditions name is ended from thread t1$/,
  glue(function (this: EseWorld) {
    return endFrom(this, endTarget(this.ctx).session);
  }),
);

/**
 * The condition shown applied on its own: JetEndSession of s1 (or of the session its `probe` in
 * catalogue/check-order.json names), so that a row cannot pass with the condition ignored.
 */
When(
  /^the session the condition "([^"]+)" names is ended from thread t1$/,
  glue(function (this: EseWorld, name: string) {
    if (conditions[name] === undefined) throw new SuiteError(`unknown check-order condition "${name}"`);
    return endFrom(this, probeSessions[name] ?? 's1');
  }),
);

/** After the pair's call, the same session ended again: a fault that decided the pair's call is used up by then. */
When(
  /^the session the conditions name is ended again from thread t1$/,
  glue(function (this: EseWorld) {
    return endFrom(this, endTarget(this.ctx).session);
  }),
);

/** After the pair's call: one condition stops holding (harness/conditions.ts takeAways), and the session is ended again. */
When(
  /^the condition "([^"]+)" is taken away, and the session the conditions name is ended again$/,
  glue(async function (this: EseWorld, name: string) {
    await takeAway(this.ctx, name);
    const target = endTarget(this.ctx);
    await endFrom(this, target.session, target.thread);
  }),
);

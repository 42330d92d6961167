/** The pairwise check-order outline (features/generated/check-order.feature, from catalogue/check-order.json). */
import { Given, When } from '@cucumber/cucumber';
import { endTarget, establish, neverIssued } from '../harness/conditions';
import { glue, type EseWorld } from './world';

/** One condition of catalogue/check-order.json made to hold for s1 of i1 (harness/conditions.ts). */
Given(
  /^the condition "([^"]+)" holds$/,
  glue(async function (this: EseWorld, name: string) {
    await establish(this.ctx, name);
  }),
);

/** JetEndSession, from thread t1, on s1, or on a never-issued handle when the condition "invalid handle" holds. */
When(
  /^the session the conditions name is ended from thread t1$/,
  glue(async function (this: EseWorld) {
    const { session } = endTarget(this.ctx);
    const sesid = session === neverIssued ? { forged: 'never-issued' as const } : this.ctx.handle(session);
    const result = await this.ctx.act('t1', 'JetEndSession', { sesid, grbit: 0 });
    if (result.err === 0) this.ctx.shadow.end(session);
  }),
);

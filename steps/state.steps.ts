/** Whole-state postconditions: the observable state of every instance after JetEndSession (harness/state.ts). */
import { Then } from '@cucumber/cucumber';
import { stateAsBefore, stateAsEsent, stateAsEsentInEsentTier } from '../harness/state';
import { then } from '../harness/maybe';
import { glue, type EseWorld } from './world';

/**
 * Everything another session, the scenario's handles and the limits show (slots, locks, databases,
 * data, transactions, contexts, cursors, every instance) is what the reference engine shows after
 * the same calls; in the documented tier a failure that is not ESENT's outcome leaves it as before.
 */
Then(
  /^the whole observable state is as ESENT leaves it$/,
  glue(function (this: EseWorld) {
    return stateAsEsent(this.ctx);
  }),
);

/** The same observation as before the last JetEndSession, exactly: the failed call changed nothing. */
Then(
  /^the whole observable state is as before the call$/,
  glue(function (this: EseWorld) {
    return stateAsBefore(this.ctx);
  }),
);

/**
 * The same in the esent tier; in the documented tier, which says nothing of the state this outcome
 * leaves (e.g. after an undo failure), it compares nothing and counts as no check.
 */
Then(
  /^in the esent tier, the whole observable state is as ESENT leaves it$/,
  glue(function (this: EseWorld) {
    return then(stateAsEsentInEsentTier(this.ctx), (compared) => {
      if (!compared) this.ctx.checks.notACheck();
    });
  }),
);

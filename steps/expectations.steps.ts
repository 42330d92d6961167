/** "Then" steps: the outcome of the call, by tier, and the postconditions it must leave. */
import { Then, type DataTable } from '@cucumber/cucumber';
import { describeErr, requireErr, requireNumber } from '../harness/codes';
import { allows, matchTier, parseAllowed, parseTierRows } from '../harness/by-tier';
import { parseCount, countHolds } from '../harness/counts';
import { ConformanceFailure, SuiteError } from '../harness/errors';
import * as probes from '../harness/probes';
import { defaultThread } from '../harness/fixtures';
import { then, type Maybe } from '../harness/maybe';
import { glue, type EseWorld } from './world';

function lastCall(world: EseWorld) {
  const last = world.ctx.last;
  if (last === undefined) throw new SuiteError('no call has been made yet in this scenario');
  return last;
}

/** The last call returned exactly this code, in every tier the scenario runs in. */
Then(
  /^the call returns (\S+)$/,
  glue(function (this: EseWorld, code: string) {
    const allowed = parseAllowed(code);
    const last = lastCall(this);
    if (!allows(allowed, last.result.err)) {
      throw new ConformanceFailure(`${last.op} returned an unexpected code`, code.split(/\s+or\s+/).map((c) => describeErr(requireErr(c, 'the call returns'))).join(' or '), describeErr(last.result.err));
    }
  }),
);

/**
 * The last call's code is one this tier allows. Columns: tier, returns (a code, "A or B", "any
 * error", "anything") and optionally outcome: a name for each row, unique in the scenario, that
 * later "if the outcome was ..." steps refer to (whichever tables come between).
 */
Then(
  /^the call returns, by tier:$/,
  glue(function (this: EseWorld, table: DataTable) {
    const last = lastCall(this);
    const rows = parseTierRows(table.hashes());
    for (const name of new Set(rows.flatMap((r) => (r.outcome === undefined ? [] : [r.outcome])))) {
      if (this.ctx.outcomes.has(name)) throw new SuiteError(`the outcome name "${name}" is declared by two by-tier tables of the scenario; outcome names must be unique`);
      this.ctx.outcomes.set(name, false);
    }
    const match = matchTier(rows, this.ctx.tier, last.result.err);
    const row = match.row;
    // What was expected is described only for a failure (matchTier's `expected` is read lazily).
    if (row === undefined) throw new ConformanceFailure(`${last.op} returned a code the ${this.ctx.tier} tier does not allow`, match.expected, describeErr(last.result.err));
    if (row.outcome !== undefined) this.ctx.outcomes.set(row.outcome, true);
  }),
);

/** ES-SESSION-SLOT-FREED: the JetBeginSession that failed returned this code. */
Then(
  /^the last JetBeginSession returns (\S+)$/,
  glue(function (this: EseWorld, code: string) {
    const last = lastCall(this);
    const expected = requireErr(code, 'the last JetBeginSession returns');
    if (last.op !== 'JetBeginSession' || last.result.err !== expected) {
      throw new ConformanceFailure('JetBeginSession past the session limit', describeErr(expected), describeErr(last.result.err));
    }
  }),
);

/** ES-SESSION-SLOT-FREED: how many sessions were begun before the failure: "any", "at least N", "at most N", "exactly N" or "N". */
Then(
  /^the number of sessions begun before it is, by tier:$/,
  glue(function (this: EseWorld, table: DataTable) {
    const rows = table.hashes().filter((r) => r.tier === this.ctx.tier);
    if (rows.length !== 1) throw new SuiteError(`the count table needs exactly one row for the ${this.ctx.tier} tier, has ${rows.length}`);
    const count = parseCount(rows[0].count ?? '');
    const begun = this.ctx.sessionsBegun;
    if (begun === undefined) throw new SuiteError('no sessions were begun until JetBeginSession failed in this scenario');
    if (count.kind === 'any') {
      this.ctx.checks.notACheck();
      return;
    }
    if (!countHolds(count, begun)) {
      throw new ConformanceFailure('the number of sessions JetBeginSession allowed before JET_errOutOfSessions', rows[0].count.trim(), String(begun));
    }
  }),
);

/**
 * Registers a postcondition three ways: plainly; as "if the outcome was X, ..." (checked only when a
 * by-tier table of the scenario declared the outcome X and its row is the one that matched); and as
 * "if the call returned CODE, ..." (the last call). A condition that cannot be evaluated (an outcome
 * no earlier table declares, an unknown code, no call yet) is a SuiteError, never a silent skip.
 */
function postcondition<A extends string[]>(pattern: RegExp, body: (this: EseWorld, ...args: A) => Maybe<void>): void {
  Then(pattern, glue(body));
  const conditions: [string, (world: EseWorld, condition: string) => boolean][] = [
    [
      'if the outcome was ([\\w-]+), ',
      (world, outcome) => {
        const happened = world.ctx.outcomes.get(outcome);
        if (happened === undefined) {
          const known = [...world.ctx.outcomes.keys()];
          throw new SuiteError(`no by-tier table before this step declares the outcome "${outcome}" (declared: ${known.join(', ') || 'none'})`);
        }
        return happened;
      },
    ],
    ['if the call returned (\\S+), ', (world, code) => lastCall(world).result.err === requireErr(code, 'if the call returned')],
  ];
  for (const [prefix, holds] of conditions) {
    const wrapped = function (this: EseWorld, condition: string, ...args: A): Maybe<void> {
      if (holds(this, condition)) return body.apply(this, args);
      this.ctx.checks.notACheck();
    };
    Object.defineProperty(wrapped, 'length', { value: body.length + 1 });
    Then(new RegExp(`^${prefix}${pattern.source.slice(1)}`), glue(wrapped));
  }
}

/** JetEndSession and JetBeginTransaction on the handle give JET_errInvalidSesid. */
postcondition(/^(\w+) is gone$/, function (this: EseWorld, session: string) {
  return probes.isGone(this.ctx, session);
});

/** A call on the handle gives anything but JET_errInvalidSesid. */
postcondition(/^(\w+) is not gone$/, function (this: EseWorld, session: string) {
  return probes.isNotGone(this.ctx, session);
});

/** The handle works, its cursors read its own uncommitted work, others see only committed data and stay blocked on the records it changed. */
postcondition(/^(\w+) is unchanged$/, function (this: EseWorld, session: string) {
  return probes.isUnchanged(this.ctx, session);
});

/** JetBeginTransaction then JetRollback on the session both succeed. */
postcondition(/^(\w+) is usable: it can begin and roll back a transaction$/, function (this: EseWorld, session: string) {
  return probes.isUsable(this.ctx, session);
});

/** A fresh session reads the table at level 0 and finds exactly the committed records. */
postcondition(/^another session sees exactly the committed records of "(\w+)"$/, function (this: EseWorld, table: string) {
  return probes.othersSeeCommitted(this.ctx, table);
});

/** A fresh session updates every committed record in a transaction without JET_errWriteConflict, then rolls back. */
postcondition(/^another session can update every committed record of "(\w+)" in its own transaction$/, function (this: EseWorld, table: string) {
  return probes.othersCanUpdateAll(this.ctx, table);
});

/** The session reads, through its cursor, the committed records plus its own uncommitted changes. */
postcondition(/^(\w+) still sees its own uncommitted work in "(\w+)"$/, function (this: EseWorld, session: string, table: string) {
  return probes.seesOwnWork(this.ctx, session, table);
});

/** The session reads, through its cursor inside its transaction, the records committed when that transaction began: nothing committed since, nothing uncommitted of others. */
postcondition(/^(\w+) sees exactly what its transaction's snapshot holds of "(\w+)"$/, function (this: EseWorld, session: string, table: string) {
  return probes.seesOwnWork(this.ctx, session, table);
});

/** JetEndSession on the session returns the code. */
postcondition(/^(\w+) ends with grbit (\S+) and (\S+)$/, function (this: EseWorld, session: string, grbit: string, code: string) {
  const expected = requireErr(code, 'ends with grbit');
  const bits = requireNumber(grbit, 'ends with grbit');
  return then(this.ctx.expectCallNow(`${session} should end`, defaultThread, 'JetEndSession', { sesid: this.ctx.handle(session), grbit: bits >>> 0 }, (e) => e === expected, code), () => {
    if (expected === 0) this.ctx.shadow.end(session);
  });
});

/** The session still has its transaction: one JetRollback on its thread returns the code. */
postcondition(/^(\w+) still has its transaction: JetRollback on it returns (\S+)$/, function (this: EseWorld, session: string, code: string) {
  const s = this.ctx.shadow.session(session);
  const expected = requireErr(code, 'JetRollback on it returns');
  return then(this.ctx.expectCallNow(`${session}'s transaction should be untouched`, s.trxThread ?? defaultThread, 'JetRollback', { sesid: this.ctx.handle(session), grbit: 0 }, (e) => e === expected, code), () => {
    this.ctx.shadow.rollback(session, false);
  });
});

/** JetTerm, a new instance, and a read of the database: what is durable. */
postcondition(
  /^after the instance is terminated and a new one started, the database holds exactly the committed records of "(\w+)"$/,
  async function (this: EseWorld, table: string) {
    await probes.durableRecords(this.ctx, table);
  },
);

/** The instance already terminated (a term whose code is not the point): a new instance and a read of the database. */
postcondition(
  /^a new instance started after the term finds exactly the committed records of "(\w+)" in the database$/,
  async function (this: EseWorld, table: string) {
    await probes.recordsAfterRestart(this.ctx, table);
  },
);

/** Records the last code and a fingerprint of the state it left (handle, what a fresh session can open and read). */
Then(
  /^the outcome and the state it leaves are recorded as "([^"]+)"$/,
  glue(function (this: EseWorld, label: string) {
    return then(probes.fingerprint(this.ctx, 's1'), (fingerprint) => {
      this.ctx.recorded.set(label, fingerprint);
      this.ctx.checks.notACheck();
    });
  }),
);

/** The last code and the fingerprint of the state equal the recorded ones. */
Then(
  /^the outcome and the state it leaves are the same as "([^"]+)"$/,
  glue(function (this: EseWorld, label: string) {
    const before = this.ctx.recorded.get(label);
    if (before === undefined) throw new SuiteError(`nothing was recorded as "${label}"`);
    return then(probes.fingerprint(this.ctx, 's1'), (now) => {
      if (now !== before) throw new ConformanceFailure('the grbit changed the outcome or the state JetEndSession left', before, now);
    });
  }),
);

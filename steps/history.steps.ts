/** "Given" steps of the history scenarios (features/history/): a second instance, its sessions and its state. */
import { Given, When } from '@cucumber/cucumber';
import { parseNumber } from '../harness/codes';
import * as fx from '../harness/fixtures';
import { glue, type EseWorld } from './world';

/** Runs fixture work against another instance, then names the scenario's own instance again. */
async function onInstance(world: EseWorld, instance: string, work: () => void | Promise<void>): Promise<void> {
  const home = world.ctx.instanceName;
  world.ctx.instanceName = instance;
  try {
    await work();
  } finally {
    world.ctx.instanceName = home;
  }
}

/** A second instance, created with the suite's limits and initialized; the scenario's instance stays the first. */
Given(
  /^another initialized instance "(\w+)"$/,
  glue(async function (this: EseWorld, instance: string) {
    await onInstance(this, instance, () => fx.initInstance(this.ctx, {}, instance));
  }),
);

/** A second instance with a system parameter set (the suite's other limits as usual), initialized. */
Given(
  /^another initialized instance "(\w+)" with (\w+) (\d+)$/,
  glue(async function (this: EseWorld, instance: string, param: string, value: string) {
    await onInstance(this, instance, () => fx.initInstance(this.ctx, { [param]: Number(value) }, instance));
  }),
);

/** One session (JetBeginSession) on the named instance. */
Given(
  /^session (\w+) of instance "(\w+)"$/,
  glue(async function (this: EseWorld, session: string, instance: string) {
    await onInstance(this, instance, () => fx.beginSession(this.ctx, session));
  }),
);

/** `instance-state`: force the named instance (not the scenario's first) into a fatal error with the given cause. */
Given(
  /^the instance "(\w+)" is forced into a fatal error caused by (\S+)$/,
  glue(async function (this: EseWorld, instance: string, cause: string) {
    const err = parseNumber(cause);
    if (err === undefined) throw new Error(`unknown JET_err ${cause}`);
    await this.ctx.force(this.ctx.handle(instance), { state: 'fatal-error', cause: err });
  }),
);

/**
 * JetBeginSession on the named instance until it fails, at most N times: each instance has its own
 * JET_paramMaxSessions. The sessions are named slot1, slot2, ... (as "sessions are begun on it").
 */
When(
  /^sessions are begun on instance "(\w+)" until JetBeginSession fails, at most (\d+) times$/,
  glue(function (this: EseWorld, name: string, most: string) {
    return fx.beginSessionsUntilRefused(this.ctx, name, Number(most), ` of instance "${name}"`);
  }),
);

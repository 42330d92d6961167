/**
 * Feeds the scenario's CheckLedger: which steps are When-steps, which Then-steps compared. The After
 * hook (hooks.ts) hands the blocks no check followed to the verdict: a SUITE_ERROR.
 */
import { AfterStep, BeforeStep, Status as CucumberStatus } from '@cucumber/cucumber';
import type { EseWorld } from './world';

type Kind = 'context' | 'action' | 'outcome';

function kindOf(type: string | undefined): Kind {
  return type === 'Action' ? 'action' : type === 'Outcome' ? 'outcome' : 'context';
}

BeforeStep(function (this: EseWorld, { pickleStep }) {
  this.ctx?.checks.stepStarted(kindOf(pickleStep.type), pickleStep.text);
});

AfterStep(function (this: EseWorld, { pickleStep, result }) {
  if (result.status === CucumberStatus.PASSED) this.ctx?.checks.stepPassed(kindOf(pickleStep.type));
});

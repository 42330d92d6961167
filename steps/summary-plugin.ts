/**
 * A cucumber plugin (cucumber.js `plugin`): prints the score of a plain `npx cucumber-js` run once,
 * in the coordinator, from every worker's envelopes (harness/standalone-summary.ts). Loaded through
 * steps/summary-plugin.cjs, because cucumber imports plugins as ES modules.
 */
import type { Plugin } from '@cucumber/cucumber/api';
import { StandaloneSummary } from '../harness/standalone-summary';

export const summaryPlugin: Plugin = {
  type: 'plugin',
  coordinator({ on, environment, operation }) {
    if (operation !== 'runCucumber') return;
    const summary = new StandaloneSummary();
    on('message', (envelope) => {
      summary.onMessage(envelope);
      if (envelope.testRunFinished === undefined) return;
      const lines = summary.lines();
      if (lines.length > 0) environment.stderr.write(lines.join('\n') + '\n');
    });
  },
};

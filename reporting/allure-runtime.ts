/**
 * Allure metadata of the running scenario, sent through allure-js-commons' runtime API from the
 * runner's After hook.
 *
 * The hook MUST be named `ALLURE_FIXTURE_IGNORE` (`After({ name: 'ALLURE_FIXTURE_IGNORE' }, ...)`):
 * allure-cucumberjs turns every other hook into an "after" fixture and drops labels, links,
 * parameters and descriptions sent from one ("metadata messages isn't supported for after test
 * fixtures"); from an ignored hook they land on the test itself.
 */
import { world } from '@cucumber/cucumber';
import { ContentType, LabelName, LinkType, Status as AllureStatus, type StatusDetails } from 'allure-js-commons';
import type { RuntimeMessage } from 'allure-js-commons/sdk';
import { MessageHolderTestRuntime } from 'allure-js-commons/sdk/runtime';
import { ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE } from 'allure-js-commons/sdk/reporter';
import type { ScenarioResult, Status } from '../harness/results';
import { catalogueEntry } from '../harness/catalogue';
import { escapeMarkdown, visibleText } from './escape';
import { traceText } from './trace';

/** The hook name allure-cucumberjs does not turn into a fixture (see the module comment). */
export const allureHookName = 'ALLURE_FIXTURE_IGNORE';

/** What Allure shows of one scenario: its verdict and the catalogue's grouping of its ID. */
export interface AllureScenarioInfo
  extends Pick<ScenarioResult, 'tier' | 'catalogueId' | 'doc' | 'trace' | 'expected' | 'actual' | 'status' | 'reason'> {
  readonly group: string;
  readonly deviates: boolean;
}

/** A scenario's verdict (matrix.json's shape) with its ID's catalogue group and † mark. */
export function allureInfo(result: ScenarioResult): AllureScenarioInfo {
  const entry = catalogueEntry(result.catalogueId);
  return {
    tier: result.tier,
    catalogueId: result.catalogueId,
    group: entry?.group ?? '',
    deviates: entry?.deviates ?? false,
    doc: result.doc,
    trace: result.trace,
    status: result.status,
    ...(result.expected === undefined ? {} : { expected: result.expected }),
    ...(result.actual === undefined ? {} : { actual: result.actual }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
  };
}

/** The runtime messages for one scenario; exported so the tests can read them without cucumber. */
export async function allureMessages(info: AllureScenarioInfo): Promise<RuntimeMessage[]> {
  return Promise.resolve(allureMessagesNow(info));
}

/**
 * The same, synchronously (a formatter handles each envelope before the next): the holder runtime
 * records each message when it is called, so nothing here needs to be awaited.
 */
export function allureMessagesNow(info: AllureScenarioInfo): RuntimeMessage[] {
  const runtime = new MessageHolderTestRuntime();
  const mark = info.deviates ? ' †' : '';
  // Tree: catalogue group > ID > tier. The tier parameter makes the two tiers' results of one
  // scenario two tests (their history ids differ) instead of a test and its retry.
  void runtime.labels(
    { name: LabelName.PARENT_SUITE, value: info.group },
    { name: LabelName.SUITE, value: info.catalogueId + mark },
    { name: LabelName.SUB_SUITE, value: info.tier },
    { name: LabelName.TAG, value: info.catalogueId },
    { name: LabelName.TAG, value: info.status },
  );
  void runtime.parameter('tier', info.tier);
  const urls = info.doc.filter((d) => /^https?:\/\/\S+$/.test(d));
  if (urls.length > 0) void runtime.links(...urls.map((url) => ({ url, type: LinkType.DEFAULT, name: 'doc' })));
  void runtime.description(description(info, mark));
  void runtime.attachment('call trace', traceText(info.trace), { contentType: ContentType.TEXT });
  if (info.expected !== undefined || info.actual !== undefined) {
    const text = `expected: ${info.expected ?? '(not recorded)'}\nactual:   ${info.actual ?? '(not recorded)'}`;
    void runtime.attachment('expected vs actual', visibleText(text), { contentType: ContentType.TEXT });
  }
  return [...runtime.messages(), ...verdictStep(info)];
}

const allureStatus: Record<Status, AllureStatus> = {
  PASS: AllureStatus.PASSED,
  FAIL: AllureStatus.FAILED,
  CRASH: AllureStatus.BROKEN,
  TIMEOUT: AllureStatus.BROKEN,
  PROTOCOL_ERROR: AllureStatus.BROKEN,
  NOT_APPLICABLE: AllureStatus.SKIPPED,
  SUITE_ERROR: AllureStatus.BROKEN,
  NOT_RUN: AllureStatus.SKIPPED,
};

/**
 * Our verdict as the scenario's last step. Allure takes a test's status from its worst step, and the
 * After hook is no step, so without it a verdict reached in the hook would not show; with it a
 * CRASH is "broken", a FAIL "failed" with expected vs actual in its error box.
 */
function verdictStep(info: AllureScenarioInfo): RuntimeMessage[] {
  const now = Date.now();
  const details: StatusDetails = {
    message: visibleText([info.status, info.reason].filter(Boolean).join(': ')),
    ...(info.expected === undefined ? {} : { expected: visibleText(info.expected) }),
    ...(info.actual === undefined ? {} : { actual: visibleText(info.actual) }),
  };
  return [
    { type: 'step_start', data: { name: `verdict (${info.tier} tier): ${info.status}`, start: now } },
    { type: 'step_stop', data: { stop: now, status: allureStatus[info.status], statusDetails: details } },
  ];
}

/** Markdown (Allure renders it with raw HTML off); every piece of text is escaped anyway. */
function description(info: AllureScenarioInfo, mark: string): string {
  const lines = [
    `**${escapeMarkdown(info.catalogueId)}**${mark} (${escapeMarkdown(info.group)}), tier **${info.tier}**: **${info.status}**`,
  ];
  if (info.deviates) lines.push('', '† ESENT deviates from the doc here.');
  if (info.reason !== undefined) lines.push('', `Reason: ${escapeMarkdown(info.reason)}`);
  if (info.expected !== undefined) lines.push('', `Expected: ${escapeMarkdown(info.expected)}`);
  if (info.actual !== undefined) lines.push('', `Actual: ${escapeMarkdown(info.actual)}`);
  if (info.doc.length > 0) lines.push('', 'Doc:', '', ...info.doc.map((d) => `> ${escapeMarkdown(d)}`).join('\n>\n').split('\n'));
  return lines.join('\n');
}

/**
 * Call from the runner's After hook (named `ALLURE_FIXTURE_IGNORE`) inside the running scenario.
 * One attachment carries all messages, so cucumber.html shows one Allure entry, not eight.
 */
export async function annotateAllure(info: AllureScenarioInfo): Promise<void> {
  const messages = await allureMessages(info);
  // Synchronous for text (cucumber's attach returns nothing to wait for).
  world.attach(JSON.stringify(messages), ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE);
}

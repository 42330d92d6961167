/**
 * allure-cucumberjs's formatter with a plain file writer. Its own writer makes every result file
 * crash-safe (a temp file, fsync, rename, unlink), which costs about 10 ms a file on the project
 * machine and a whole run writes hundreds: most of what full reports add to a run. Nothing reads
 * allure-results while cucumber runs, so plain writes are enough.
 *
 * Cucumber loads formatters with import(): from dist/ this compiled module is imported directly;
 * from source, reporting/allure-formatter.cjs requires it through ts-node (see cucumberFormats).
 */
import type { IFormatterOptions } from '@cucumber/cucumber';
import * as fs from 'node:fs';
import * as path from 'node:path';
import AllureCucumberReporter from 'allure-cucumberjs/reporter';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import { ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE, stringifyEnvInfo } from 'allure-js-commons/sdk/reporter';
import type * as messages from '@cucumber/messages';
import { decodeResult, scenarioResultMediaType } from '../harness/result-messages';
import { allureInfo, allureMessagesNow } from './allure-runtime';

/** Writes allure-results files as they are, without fsync or temp files. */
export class PlainWriter implements Writer {
  private made = false;

  constructor(private readonly resultsDir: string) {}

  private file(name: string): string {
    if (!this.made) {
      fs.mkdirSync(this.resultsDir, { recursive: true });
      this.made = true;
    }
    return path.join(this.resultsDir, name);
  }

  writeResult(result: Parameters<Writer['writeResult']>[0]): void {
    fs.writeFileSync(this.file(`${result.uuid}-result.json`), JSON.stringify(result));
  }

  writeGroup(result: Parameters<Writer['writeGroup']>[0]): void {
    fs.writeFileSync(this.file(`${result.uuid}-container.json`), JSON.stringify(result));
  }

  writeAttachment(distFileName: string, content: Buffer): void {
    fs.writeFileSync(this.file(distFileName), content);
  }

  writeAttachmentFromPath(distFileName: string, from: string): void {
    fs.copyFileSync(from, this.file(distFileName));
  }

  writeEnvironmentInfo(info: EnvironmentInfo): void {
    fs.writeFileSync(this.file('environment.properties'), stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories: Category[]): void {
    fs.writeFileSync(this.file('categories.json'), JSON.stringify(categories));
  }

  writeGlobals(distFileName: string, info: Parameters<Writer['writeGlobals']>[1]): void {
    fs.writeFileSync(this.file(distFileName), JSON.stringify(info));
  }
}

export default class PlainAllureCucumberReporter extends AllureCucumberReporter {
  constructor(options: IFormatterOptions) {
    super(options);
    const resultsDir = (options.parsedArgvOptions as { resultsDir?: unknown }).resultsDir;
    // The runtime is private to allure-cucumberjs (pinned at 3.12.2): should its shape change,
    // the stock writer stays, which is slower but correct.
    const runtime = (this as unknown as { allureRuntime?: { writer?: Writer } }).allureRuntime;
    if (typeof resultsDir === 'string' && runtime !== undefined && runtime.writer !== undefined) {
      runtime.writer = new PlainWriter(resultsDir);
    }
    // A scenario's verdict arrives as data (harness/result-messages.ts), from this process or a
    // parallel worker: it becomes the test's labels, description, trace and verdict step, in place
    // of a plain attachment. The handler is private to allure-cucumberjs: should it be renamed, the
    // reporting test of the Allure labels fails.
    const self = this as unknown as { onAttachment?: (a: messages.Attachment) => void };
    const onAttachment = self.onAttachment;
    if (typeof onAttachment === 'function') {
      self.onAttachment = (a: messages.Attachment) => {
        const result = a.mediaType === scenarioResultMediaType ? decodeResult(a.body) : undefined;
        if (a.mediaType === scenarioResultMediaType && result === undefined) return;
        const body = result === undefined ? a : { ...a, mediaType: ALLURE_RUNTIME_MESSAGE_CONTENT_TYPE, body: JSON.stringify(allureMessagesNow(allureInfo(result))) };
        onAttachment.call(this, body);
      };
    }
  }
}

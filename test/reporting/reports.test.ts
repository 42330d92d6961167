/** junit.xml, escaping, the cucumber formats, writeReports (minimal), progress and the summary. */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { allureMessages } from '../../reporting/allure-runtime';
import { escapeHtml, escapeMarkdown, escapeXml, oneLine, visibleText } from '../../reporting/escape';
import { PlainWriter } from '../../reporting/allure-formatter';
import { allureFormatterPath, clearReports, cucumberFormats } from '../../reporting/formats';
import { renderJunit } from '../../reporting/junit';
import { createProgress, summaryLines } from '../../reporting/progress';
import { traceLine } from '../../reporting/trace';
import { writeReports } from '../../reporting/write';
import { loadFixture, repoRoot, tempDir, xmlProblem } from './helpers';

const mixed = loadFixture('mixed.json');
const reference = loadFixture('reference.json');

describe('escaping', () => {
  it('turns markup into text in HTML, XML and Markdown', () => {
    assert.equal(escapeHtml(`<script>alert("x" & 'y')</script>`), '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
    assert.equal(escapeXml('a\u0000b\u001b[0m<'), 'a\\x00b\\x1b[0m&lt;');
    assert.equal(escapeMarkdown('<b>|x|</b> #1 _y_\nz'), '&lt;b&gt;\\|x\\|&lt;/b&gt; \\#1 \\_y\\_ z');
    assert.equal(visibleText('ok\t\n\r\ud800x'), 'ok\t\n\r\\xd800x');
    assert.equal(oneLine('a\n  b\u0007', 10), 'a b\\x07');
  });

  it('prints a trace entry on one line with thread, operation, arguments and numeric result', () => {
    assert.equal(
      traceLine({ seq: 7, thread: 't2', kind: 'call', op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 1 }, err: -1104, result: 'JET_errInvalidSesid' }),
      '#7 t2 JetEndSession {"sesid":{"forged":"nil"},"grbit":1} -> -1104 JET_errInvalidSesid',
    );
    assert.equal(traceLine({ seq: 8, thread: 't1', kind: 'hold', op: 'JetBeginTransaction', result: 'held' }), '#8 t1 hold JetBeginTransaction -> held');
    assert.equal(traceLine({ seq: 9, thread: 't1', kind: 'reset', result: 'ok\n<x>' }), '#9 t1 reset -> ok <x>');
  });
});

describe('junit.xml', () => {
  const xml = renderJunit(mixed);

  it('is well-formed XML with the implementation strings escaped', () => {
    assert.equal(xmlProblem(xml), undefined);
    assert.ok(!xml.includes('<script>') && !xml.includes('\u001b'));
    assert.ok(xml.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'));
  });

  it('carries the score every report shows, per tier', () => {
    assert.ok(xml.includes('<property name="score" value="13/17 applicable IDs pass; 7 of 24 not checked: missing capabilities"/>'));
    assert.ok(xml.includes('<property name="score" value="16/17 applicable IDs pass; 8 of 25 not checked: missing capabilities"/>'));
  });

  it('has one testcase per scenario and tier with our statuses: failure, error, skipped', () => {
    assert.equal((xml.match(/<testcase /g) ?? []).length, mixed.scenarios.length);
    assert.match(xml, /<testsuites [^>]*tests="98" failures="2" errors="3" skipped="30"/);
    assert.match(xml, /<testsuite name="documented" tests="50" failures="1" errors="0" skipped="16"/);
    assert.match(xml, /<testsuite name="esent" tests="48" failures="1" errors="3" skipped="14"/);
    assert.match(xml, /<testcase classname="ES-AFTER-TERM\.esent" name="features\/after-term\.feature::after term" file="features\/after-term\.feature" line="3">\n {6}<failure message="JetEndSession returned an error the esent tier does not allow; expected -1104 JET_errInvalidSesid; actual -1029 JET_errNotInitialized" type="FAIL">/);
    assert.match(xml, /<error message="CRASH: process exited with signal SIGSEGV &lt;script&gt;alert\(1\)&lt;\/script&gt;" type="CRASH">/);
    assert.match(xml, /<error message="TIMEOUT: no answer within 5000 ms" type="TIMEOUT">/);
    assert.match(xml, /<error message="PROTOCOL_ERROR: answer is not JSON: &quot;&lt;html&gt;oops&lt;\/html&gt;&quot;" type="PROTOCOL_ERROR">/);
    assert.match(xml, /<testcase classname="ES-CLEANUP-OOM\.esent" [^>]*>\n {6}<skipped message="needs capability fault-injection"\/>/);
    assert.match(xml, /<system-err>\\x1b\[31mSegmentation fault\\x1b\[0m at 0xdeadbeef\n&lt;\/pre&gt;/);
    assert.match(xml, /call trace:\n#1 t1 JetCreateInstance/);
  });
});

describe('cucumber formats', () => {
  it('full: html, message stream and allure-cucumberjs, absolute paths, nothing on stdout', () => {
    const f = cucumberFormats({ reportDir: 'reports', tier: 'esent', mode: 'full' });
    const abs = path.resolve('reports');
    assert.deepEqual(f.format, [
      ['html', path.join(abs, 'cucumber-esent.html')],
      ['message', path.join(abs, 'cucumber-esent.ndjson')],
      [pathToFileURL(path.join(repoRoot, 'reporting', 'allure-formatter.cjs')).href, os.devNull],
    ]);
    assert.deepEqual(f.formatOptions, { resultsDir: path.join(abs, 'allure-results') });
    assert.ok(f.format.every((x) => Array.isArray(x) && x[1] !== undefined && path.isAbsolute(x[1])), 'no formatter takes stdout');
  });

  it('the Allure formatter is allure-cucumberjs with the plain writer, loadable by import()', async () => {
    const imported = (await import(allureFormatterPath())) as { default: { default: new (o: unknown) => unknown } };
    const Reporter = imported.default.default;
    const dir = tempDir('allure-writer');
    const options = {
      parsedArgvOptions: { resultsDir: dir },
      eventBroadcaster: new EventEmitter(),
      supportCodeLibrary: { beforeTestCaseHookDefinitions: [], afterTestCaseHookDefinitions: [], beforeTestRunHookDefinitions: [], afterTestRunHookDefinitions: [], World: class {} },
    };
    const reporter = new Reporter(options) as { allureRuntime: { writer: unknown } };
    assert.ok(reporter.allureRuntime.writer instanceof PlainWriter, 'allure-cucumberjs 3.12.2 keeps its runtime in allureRuntime');
    const writer = reporter.allureRuntime.writer;
    writer.writeAttachment('a-attachment.txt', Buffer.from('trace'));
    writer.writeEnvironmentInfo({ implementation: 'x=y' });
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a-attachment.txt', 'environment.properties']);
    assert.equal(fs.readFileSync(path.join(dir, 'a-attachment.txt'), 'utf8'), 'trace');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('minimal: no formatter', () => {
    assert.deepEqual(cucumberFormats({ reportDir: 'r', tier: 'documented', mode: 'minimal' }), { format: [], formatOptions: {} });
  });

  it('clearReports removes what an earlier run left, and keeps matrix.json and foreign files', () => {
    const dir = tempDir('clear');
    for (const f of ['junit.xml', 'matrix.md', 'matrix.html', 'cucumber-esent.html', 'cucumber-documented.ndjson', 'allurerc.json', 'matrix.json', 'notes.txt']) fs.writeFileSync(path.join(dir, f), 'x');
    fs.mkdirSync(path.join(dir, 'allure-results'));
    fs.writeFileSync(path.join(dir, 'allure-results', 'a-result.json'), '{}');
    fs.mkdirSync(path.join(dir, 'allure'));
    clearReports(dir);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['matrix.json', 'notes.txt']);
    clearReports(path.join(dir, 'missing'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('writeReports', () => {
  it('minimal: junit.xml only, no Allure', async () => {
    const dir = tempDir('minimal');
    const r = await writeReports(mixed, { reportDir: dir, mode: 'minimal' });
    assert.deepEqual(r, { written: [path.join(dir, 'junit.xml')], warnings: [] });
    assert.deepEqual(fs.readdirSync(dir), ['junit.xml']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('full without allure-results: the matrix files, and a warning instead of the Allure report', async () => {
    const dir = tempDir('full-no-allure');
    const r = await writeReports(reference, { reportDir: dir, mode: 'full' });
    assert.deepEqual(r.written, ['matrix.html', 'matrix.md', 'junit.xml'].map((f) => path.join(dir, f)));
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^Allure report not generated: no Allure results in .*allure-results$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('allure metadata', () => {
  it('groups by catalogue group, ID and tier, adds the tier parameter, doc, trace and expected vs actual', async () => {
    const s = mixed.scenarios.find((x) => x.status === 'FAIL' && x.tier === 'esent')!;
    const messages = (await allureMessages({ tier: 'esent', catalogueId: s.catalogueId, group: 'Invalid handles and instance states', deviates: true, doc: s.doc, trace: s.trace, status: s.status, ...(s.expected === undefined ? {} : { expected: s.expected }), ...(s.actual === undefined ? {} : { actual: s.actual }), ...(s.reason === undefined ? {} : { reason: s.reason }) })) as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const meta = messages.filter((m) => m.type === 'metadata').map((m) => m.data);
    const labels = meta.flatMap((d) => (d.labels ?? []) as { name: string; value: string }[]);
    assert.deepEqual(
      labels.filter((l) => ['parentSuite', 'suite', 'subSuite'].includes(l.name)).map((l) => l.value),
      ['Invalid handles and instance states', 'ES-AFTER-TERM †', 'esent'],
    );
    assert.deepEqual(meta.flatMap((d) => d.parameters ?? []), [{ name: 'tier', value: 'esent' }]);
    const description = meta.map((d) => d.description).find((x) => x !== undefined) as string;
    assert.match(description, /ESENT deviates from the doc/);
    assert.match(description, /> The JetEndSession function ends the session/);
    const attachments = messages.filter((m) => m.type === 'attachment_content').map((m) => [String(m.data.name), Buffer.from(m.data.content as string, 'base64').toString('utf8')]);
    assert.deepEqual(attachments.map((a) => a[0]), ['call trace', 'expected vs actual']);
    assert.match(attachments[0][1], /^#1 t1 JetCreateInstance .*\n.*\n.*\n#4 t1 JetEndSession \{"sesid":"s1","grbit":0\} -> JET_errNotInitialized \(-1029\)$/);
    assert.equal(attachments[1][1], 'expected: -1104 JET_errInvalidSesid\nactual:   -1029 JET_errNotInitialized');
  });
});

describe('progress and summary', () => {
  it('off a TTY: a line per failing scenario, every N scenarios and per tier, with elapsed time', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: false }, { now: () => t, everyN: 2 });
    p.tierStarted('documented', 3);
    for (const status of ['PASS', 'FAIL', 'PASS'] as const) {
      t += 500;
      p.scenarioFinished({ tier: 'documented', catalogueId: 'ES-AFTER-TERM', scenario: 'after\nterm', status });
    }
    p.tierStarted('esent');
    t += 1000;
    p.scenarioFinished({ tier: 'esent', catalogueId: 'ES-X', scenario: 'x', status: 'NOT_APPLICABLE' });
    p.finish();
    assert.deepEqual(out, [
      '  FAIL documented ES-AFTER-TERM: after term\n',
      '[documented] 2/3 scenarios, 1 not passing, 1.0 s\n',
      '[documented] 3/3 scenarios, 1 not passing, 1.5 s\n',
      '[esent] 1 scenarios, 0 not passing, 2.5 s\n',
    ]);
  });

  it('on a TTY: one line redrawn in place, ended by a newline', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ write: (s) => out.push(s), isTTY: true }, { now: () => t });
    p.tierStarted('esent', 2);
    p.scenarioFinished({ tier: 'esent', catalogueId: 'ES-A', scenario: 'a', status: 'PASS' });
    t += 10;
    p.scenarioFinished({ tier: 'esent', catalogueId: 'ES-A', scenario: 'b', status: 'PASS' });
    p.finish();
    assert.deepEqual(out, ['\r\x1b[2K[esent] 1/2 scenarios, 0 not passing, 0.0 s', '\r\x1b[2K[esent] 2/2 scenarios, 0 not passing, 0.0 s', '\r\x1b[2K', '[esent] 2/2 scenarios, 0 not passing, 0.0 s\n']);
  });

  it('summary: per-tier score, failures with catalogue IDs, report paths; control characters shown', () => {
    const lines = summaryLines(mixed, ['/r/matrix.html', path.join(process.cwd(), 'reports', 'junit.xml')]);
    assert.match(lines[0], /^<script>alert\(1\)<\/script> 1\.0 "beta" & <b>bold<\/b> \(current, 64-bit\) through the process adapter: 98 scenario results in 4\.3 s$/);
    assert.equal(lines[1], '  documented: 16/17 applicable IDs pass; 8 of 25 not checked: missing capabilities; scenarios: 33 PASS, 1 FAIL, 16 NOT_APPLICABLE');
    assert.equal(lines[2], '  esent:      13/17 applicable IDs pass; 7 of 24 not checked: missing capabilities; scenarios: 30 PASS, 1 FAIL, 1 CRASH, 1 TIMEOUT, 1 PROTOCOL_ERROR, 14 NOT_APPLICABLE');
    assert.equal(lines[3], 'Not passing:');
    assert.ok(lines.some((l) => l.startsWith('  FAIL esent ES-AFTER-TERM †: after term (features/after-term.feature:3): JetEndSession returned')));
    assert.ok(lines.some((l) => l.startsWith('  CRASH esent ES-INVALID-SESID: ')));
    assert.deepEqual(lines.slice(-3), ['Reports:', '  /r/matrix.html', `  ${path.join('reports', 'junit.xml')}`]);
    assert.ok(lines.every((l) => !l.includes('\u001b')));
  });
});

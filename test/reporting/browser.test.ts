/**
 * The HTML reports as a person sees them: a real two-tier cucumber run through the reporting
 * fixture (test/reporting/cucumber-fixture), then headless Chromium opens matrix.html and the Allure
 * single-file report from file:// and the DOM must show the expected counts, with the
 * implementation's `<script>` name as text. Chromium missing is a failure, not a skip.
 * Screenshots go to $ESE_SCREENSHOT_DIR (default: <tmp>/ese-reporting-screenshots, overwritten by
 * each run), printed as diagnostics.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Matrix } from '../../harness/results';
import { spawnBounded } from '../../reporting/allure-generate';
import { renderMatrixHtml } from '../../reporting/matrix-html';
import type { FixtureRun } from './cucumber-fixture/run';
import { domText, dumpDom, dumpDomWhen, findChromium, loadFixture, repoRoot, screenshot, tempDir, xmlProblem } from './helpers';

const evil = '<script>alert(1)</script>';
const chromium = findChromium();
const work = tempDir('browser');
const shots = process.env.ESE_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'ese-reporting-screenshots');

function requireChromium(): string {
  assert.ok(chromium, "headless Chromium is needed: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM=/path");
  return chromium;
}

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe('matrix.html in Chromium', () => {
  it('shows the scores, every status as text, and the <script> name as text', async (t) => {
    const browser = requireChromium();
    const file = path.join(work, 'mixed', 'matrix.html');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderMatrixHtml([loadFixture('mixed.json')]));
    const dom = await dumpDom(browser, file, { budgetMs: 2000 });
    const text = domText(dom);
    assert.equal((dom.match(/<script/gi) ?? []).length, 0, 'no script element in the rendered page');
    assert.ok(text.includes(`${evil} 1.0 "beta" & <b>bold</b>`), 'name and version shown literally');
    assert.ok(text.includes('esent 13/17 applicable IDs pass; 7 of 24 not checked: missing capabilities 13 1 7 1 1 1'), 'esent score and per-status counts');
    assert.ok(text.includes('documented 16/17 applicable IDs pass; 8 of 25 not checked: missing capabilities 16 1 8 0 0 0'), 'documented score and per-status counts');
    assert.ok(text.includes('Not passing (5 scenario results)'), 'failures first');
    assert.equal((dom.match(/<svg class="bar"/g) ?? []).length, 2, 'one summary bar per tier');
    const cells = [
      ...dom.matchAll(/<td class="st st-([A-Z_]+)[^"]*"><a href="#[^"]+"[^>]*>([A-Z_]+)<\/a>/g),
      ...dom.matchAll(/<td class="st st-([A-Z_]+)[^"]*"><details><summary>([A-Z_]+)<span/g),
    ];
    assert.equal(cells.length, 49);
    assert.ok(cells.every(([, cls, label]) => cls === label));
    assert.ok(text.includes('ES-AFTER-TERM † PASS 2/2 FAIL 1/2 FAIL: JetEndSession returned an error the esent tier does not allow (expected -1104'), 'deviation mark and both tiers\' statuses on the row');
    fs.mkdirSync(shots, { recursive: true });
    t.diagnostic(`screenshot: ${await screenshot(browser, file, path.join(shots, 'matrix-mixed.png'))}`);
  });
});

describe('a full two-tier run through cucumber, in Chromium', () => {
  let run: FixtureRun;
  const dir = path.join(work, 'run', 'reports');

  before(async () => {
    const child = await spawnBounded(
      process.execPath,
      ['--require', 'ts-node/register/transpile-only', path.join(repoRoot, 'test', 'reporting', 'cucumber-fixture', 'run.ts'), dir, 'full'],
      repoRoot,
      120_000,
    );
    assert.equal(child.code, 0, `fixture run failed: ${child.error ?? ''} ${child.output}`);
    run = JSON.parse(child.output.trim().split('\n').pop()!) as FixtureRun;
  });

  it('writes every report, with no warning', () => {
    assert.deepEqual(run.warnings, []);
    assert.deepEqual(
      run.written.map((f) => path.relative(dir, f)),
      ['matrix.html', 'matrix.md', 'junit.xml', 'cucumber-documented.html', 'cucumber-documented.ndjson', 'cucumber-esent.html', 'cucumber-esent.ndjson', path.join('allure', 'index.html')],
    );
    const junit = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    assert.equal(xmlProblem(junit), undefined);
    assert.match(junit, /<testsuites [^>]*tests="12" failures="1" errors="1" skipped="2"/);
  });

  it('keeps the two tiers of a scenario apart in Allure (distinct tests, not retries)', () => {
    const results = fs
      .readdirSync(path.join(dir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'allure-results', f), 'utf8')) as { historyId: string; status: string; parameters: { name: string; value: string }[]; labels: { name: string; value: string }[] });
    assert.equal(results.length, 12);
    assert.equal(new Set(results.map((r) => r.historyId)).size, 12);
    for (const r of results) {
      const tier = r.parameters.find((p) => p.name === 'tier')?.value;
      assert.ok(tier === 'documented' || tier === 'esent');
      assert.equal(r.labels.find((l) => l.name === 'subSuite')?.value, tier);
    }
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'allure', 'summary.json'), 'utf8')) as { stats: Record<string, number> };
    assert.deepEqual(summary.stats, { total: 12, failed: 1, broken: 1, passed: 8, skipped: 2 });
  });

  it('the Allure single-file report opens from file:// and shows the counts and the name as text', async (t) => {
    const browser = requireChromium();
    const index = path.join(dir, 'allure', 'index.html');
    const dom = await dumpDomWhen(browser, index, (text) => text.includes('Total 12'));
    const text = domText(dom);
    assert.ok(text.includes('Total 12 Failed 1 Broken 1 Passed 8 Skipped 2'), `counts in: ${text.slice(0, 600)}`);
    assert.ok(text.includes(`ESE conformance: ${evil} 1.0 & <b>beta</b>`), `report name as text in: ${text.slice(0, 600)}`);
    assert.ok(text.includes(`implementation ${evil}`), `variable as text in: ${text.slice(0, 600)}`);
    // The score every report shows, beside Allure's own ring (which counts scenarios).
    assert.ok(text.includes('score (esent) 1/3 applicable IDs pass; 1 of 4 not checked: missing capabilities'), `score variable in: ${text.slice(0, 900)}`);
    assert.ok(!/<script>alert\(/.test(dom), 'no script element made from the name');
    assert.ok(!/<b>beta<\/b>/.test(dom), 'no bold element made from the version');
    // The tree: catalogue group > ID (with †) > tier.
    assert.match(text, /Invalid handles and instance states 1 1 6 ES-AFTER-TERM † 1 1 documented 1 esent 1/, text.slice(0, 1500));
    fs.mkdirSync(shots, { recursive: true });
    t.diagnostic(`screenshot: ${await screenshot(browser, index, path.join(shots, 'allure-overview.png'), '1400,1000')}`);
  });

  it("a failed scenario's Allure page shows the verdict, expected vs actual, the trace and the doc", async (t) => {
    const browser = requireChromium();
    const byId = (JSON.parse(fs.readFileSync(path.join(dir, 'allure', 'test-results.json'), 'utf8')) as { byId: Record<string, { status: string }> }).byId;
    const failed = Object.entries(byId).find(([, r]) => r.status === 'failed')?.[0];
    assert.ok(failed, 'one failed test');
    const index = path.join(dir, 'allure', 'index.html');
    const text = domText(await dumpDomWhen(browser, index, (t) => t.includes('Test body'), { hash: `#/${failed}` }));
    for (const expected of [
      'Ending a session after JetTerm Failed',
      'Error FAIL: the esent tier allows only -1104 Show difference',
      'Parameters 1 tier esent',
      'Description',
      'call trace text/plain',
      'expected vs actual text/plain',
      'verdict (esent tier): FAIL',
      'Set up 1 1 reset the implementation',
    ]) {
      assert.ok(text.includes(expected), `${expected} in: ${text.slice(0, 1500)}`);
    }
    assert.ok(!text.includes('Unknown test'), 'every set-up step has a name');
    // Allure shows the description in an iframe, which --dump-dom leaves out: check its source.
    const result = fs
      .readdirSync(path.join(dir, 'allure-results'))
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'allure-results', f), 'utf8')) as { status: string; description: string })
      .find((r) => r.status === 'failed');
    assert.ok(result?.description.includes('Actual: -1029 JET\\_errNotInitialized &lt;script&gt;alert\\(4\\)&lt;/script&gt;'), result?.description);
    assert.ok(result?.description.includes('> The JetEndSession function ends the session'));
    t.diagnostic(`screenshot: ${await screenshot(browser, index, path.join(shots, 'allure-failed-test.png'), '1300,1700', `#/${failed}`)}`);
  });

  it("the run's matrix.html shows the same counts", async () => {
    const browser = requireChromium();
    const matrix = JSON.parse(fs.readFileSync(run.matrixPath, 'utf8')) as Matrix;
    assert.deepEqual(matrix.scores.map((s) => [s.tier, s.passed, s.applicable]), [['documented', 3, 3], ['esent', 1, 3]]);
    const text = domText(await dumpDom(browser, path.join(dir, 'matrix.html'), { budgetMs: 2000 }));
    assert.ok(text.includes('documented 3/3 applicable IDs pass; 1 of 4 not checked: missing capabilities 3 0 1 0 0 0'), text.slice(0, 1500));
    assert.ok(text.includes('esent 1/3 applicable IDs pass; 1 of 4 not checked: missing capabilities 1 1 1 1 0 0'), text.slice(0, 1500));
    assert.ok(text.includes(`${evil} 1.0 & <b>beta</b>`));
  });
});

/** matrix.html / matrix.md from matrix.json, and the `matrix` command (no browser here). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main';
import { buildTable } from '../../reporting/matrix-model';
import { renderMatrixHtml } from '../../reporting/matrix-html';
import { renderMatrixMarkdown } from '../../reporting/matrix-md';
import { decodeEntities, fixturePath, loadFixture, tempDir } from './helpers';

const reference = loadFixture('reference.json');
const mixed = loadFixture('mixed.json');
const esentOnly = loadFixture('esent-only.json');
const evil = '<script>alert(1)</script>';

describe('matrix table', () => {
  it('groups rows as the catalogue does, in its order, and marks deviating IDs', () => {
    const t = buildTable([mixed]);
    assert.deepEqual(t.groups.map((g) => g.name), [
      'Success and its postconditions',
      'grbit',
      'Invalid handles and instance states',
      'Threads and session context',
      'Failures during clean-up',
    ]);
    assert.equal(t.groups.reduce((n, g) => n + g.rows.length, 0), 26);
    assert.deepEqual(t.groups[2].rows.filter((r) => r.deviates).map((r) => r.id), ['ES-AFTER-TERM', 'ES-STOP-SERVICE', 'ES-INSTANCE-UNAVAILABLE']);
    assert.deepEqual(t.columns.map((c) => c.tier), ['documented', 'esent']);
    const restore = t.groups[2].rows.find((r) => r.id === 'ES-RESTORE-IN-PROGRESS')!;
    assert.equal(restore.cells[1].result, undefined, 'not part of the esent tier');
    assert.equal(restore.cells[0].result?.status, 'NOT_APPLICABLE');
  });

  it('has one column per implementation and tier, IDs of all matrices', () => {
    const t = buildTable([reference, esentOnly]);
    assert.deepEqual(t.columns.map((c) => `${c.impl}:${c.tier}`), ['0:documented', '0:esent', '1:esent']);
    assert.equal(t.columns[2].counts.FAIL, 1);
    assert.equal(t.columns[2].counts.PASS, 18);
  });
});

describe('matrix.html', () => {
  const html = renderMatrixHtml([mixed]);

  it('escapes every implementation-supplied string: no markup from matrix.json survives', () => {
    assert.equal((html.match(/<script/gi) ?? []).length, 0, 'no script element at all');
    assert.ok(!html.includes('<b>bold'), 'version markup escaped');
    // The renderer escapes '<', '&' and '"' (a '>' alone cannot open a tag).
    assert.ok(html.includes('&lt;script>alert(1)&lt;/script>'), 'the name is there, as text');
    assert.ok(html.includes('\\x1b[31mSegmentation fault'), 'ANSI escapes of stderr shown, not passed through');
    assert.ok(!html.includes('\u001b'));
    assert.ok(html.includes('&lt;/pre>&lt;script>alert(2)'), 'stderr cannot close its <pre>');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
  });

  it('shows every cell status as text, with a link to an anchor on the page', () => {
    const anchors = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    // A passing or not applicable cell links its status; a problem cell opens (details) on its
    // status and scenario counts, showing the first failing reason and a link to its scenarios.
    const plain = [...html.matchAll(/<td class="st st-([A-Z_]+)[^"]*"><a href="#([^"]+)"[^>]*>([A-Z_]+)<\/a>(?:<span class="n"[^>]*>\d+\/\d+<\/span>)?<\/td>/g)];
    const open = [...html.matchAll(/<td class="st st-([A-Z_]+)[^"]*"><details><summary>([A-Z_]+)<span class="n"[^>]*>\d+\/\d+<\/span><\/summary><div class="why">[^<]+ <a href="#([^"]+)">scenarios<\/a><\/div><\/details><\/td>/g)];
    const cells = [...plain.map(([, cls, anchor, text]) => [cls, cls, anchor, text]), ...open.map(([, cls, text, anchor]) => [cls, cls, anchor, text])];
    // 25 documented + 24 esent IDs: every one is a linked cell with its status as its text.
    assert.equal(cells.length, 49);
    for (const [, cls, anchor, text] of cells) {
      assert.equal(cls, text, 'the colour class repeats the text');
      assert.ok(anchors.has(anchor), `#${anchor} exists`);
    }
    const counts = Object.fromEntries(['PASS', 'FAIL', 'NOT_APPLICABLE', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR'].map((s) => [s, cells.filter((c) => c[3] === s).length]));
    assert.deepEqual(counts, { PASS: 29, FAIL: 2, NOT_APPLICABLE: 15, CRASH: 1, TIMEOUT: 1, PROTOCOL_ERROR: 1 });
    assert.equal((html.match(/<td class="st st-none[^"]*" title="not part of this tier">—<\/td>/g) ?? []).length, 3);
  });

  it('reads at a glance: summary bars, then failures first, then the matrix; counts in cells; PASS green', () => {
    const order = ['<h2>Summary</h2>', '<h2 id="failures">Not passing (', '<h2>Matrix</h2>', '<h2>Details</h2>'].map((h2) => html.indexOf(h2));
    assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), `sections in order: ${order.join(', ')}`);
    // One static SVG stacked bar per tier, one rect per status present, widths adding up to the bar.
    const bars = [...html.matchAll(/<svg class="bar" width="(\d+)"[^>]*>(.*?)<\/svg>/g)];
    assert.equal(bars.length, 2);
    for (const [, width, body] of bars) {
      const widths = [...body.matchAll(/ width="([\d.]+)"/g)].map((m) => Number(m[1]));
      assert.ok(Math.abs(widths.reduce((a, b) => a + b, 0) - Number(width)) < 1, 'segments fill the bar');
    }
    assert.match(bars[1][2], /<title>PASS: 13<\/title>.*<title>FAIL: 1<\/title>.*<title>CRASH: 1<\/title>.*<title>NOT_APPLICABLE: 7<\/title>/);
    assert.match(html, /\.st-PASS\{background:#c6e8bf\}/, 'PASS is green');
    // The failures section lists every non-passing scenario with expected and actual codes.
    const failures = html.slice(order[1], order[2]);
    assert.equal((failures.match(/<details class="failure">/g) ?? []).length, 5);
    assert.match(decodeEntities(failures), /FAIL<\/span> esent <strong>ES-AFTER-TERM †<\/strong>: after term <span class="codes">\(expected [^)]*-1104[^<]*actual [^<]*-1029/);
    // A failing cell: FAIL with passed/run scenarios and the reason one click away.
    assert.match(html, /<td class="st st-FAIL"><details><summary>FAIL<span class="n"[^>]*>\d+\/\d+<\/span><\/summary><div class="why">FAIL: /);
    assert.match(html, /<td class="st st-PASS"><a href="#id-0-esent-ES-SUCCESS-IDLE"[^>]*>PASS<\/a><span class="n"[^>]*>\d+\/\d+<\/span><\/td>/);
  });

  it('puts the per-tier score on top and † on deviating IDs', () => {
    const top = html.slice(0, html.indexOf('<tbody>\n<tr class="group">'));
    assert.ok(top.includes('16/17 applicable IDs pass; 8 of 25 not checked: missing capabilities'));
    assert.ok(top.includes('13/17 applicable IDs pass; 7 of 24 not checked: missing capabilities'));
    for (const id of ['ES-AFTER-TERM', 'ES-STOP-SERVICE', 'ES-INSTANCE-UNAVAILABLE', 'ES-SHARING-VIOLATION', 'ES-UNDO-FAILURE-FATAL']) {
      assert.match(html, new RegExp(`<th scope="row" class="id">${id} <span class="dagger"[^>]*>†</span></th>`));
    }
    assert.match(html, /<th scope="row" class="id">ES-SUCCESS-IDLE<\/th>/);
  });

  it('shows each non-passing scenario with its trace, reason, expected and actual', () => {
    const text = decodeEntities(html);
    assert.ok(text.includes('#4 t1 JetEndSession {"sesid":"s1","grbit":0} -> JET_errNotInitialized (-1029)'));
    assert.ok(text.includes('-1104 JET_errInvalidSesid') && text.includes('-1029 JET_errNotInitialized'));
    assert.match(html, /<details class="trace" open><summary>Call trace \(4 events\)/);
  });
});

describe('matrix.md', () => {
  it('has the same rows, statuses linked into matrix.html, scores and † marks, escaped text', () => {
    const md = renderMatrixMarkdown([mixed]);
    assert.ok(!md.includes('<script>'), 'no raw HTML');
    assert.ok(md.includes('&lt;script&gt;alert\\(1\\)&lt;/script&gt;'));
    assert.match(md, /^\| ES-AFTER-TERM † \| \[PASS\]\(matrix\.html#id-0-documented-ES-AFTER-TERM\) \| \[FAIL\]\(matrix\.html#id-0-esent-ES-AFTER-TERM\) \|$/m);
    assert.match(md, /^\| ES-RESTORE-IN-PROGRESS \| \[NOT_APPLICABLE\]\([^)]*\) \| — \|$/m);
    assert.match(md, /^\| esent \| 13\/17 applicable IDs pass; 7 of 24 not checked: missing capabilities \| 13 \| 1 \| 7 \| 1 \| 1 \| 1 \|/m);
    assert.match(md, /^\| \*\*Failures during clean-up\*\* \|/m);
    assert.match(md, /^- esent \*\*ES-INVALID-SESID\*\* CRASH: /m);
    // Every table row has as many cells as the header.
    const rows = md.split('\n').filter((l) => l.startsWith('| ES-'));
    assert.equal(rows.length, 26);
    for (const r of rows) assert.equal(r.split(/(?<!\\)\|/).length, 5, r);
  });
});

describe('ese-conformance matrix', () => {
  it('writes matrix.html and matrix.md for several implementations; exit 2 on bad input', async () => {
    const dir = tempDir('matrix-cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env, cwd: dir };
    const code = await main(['matrix', fixturePath('reference.json'), fixturePath('mixed.json'), fixturePath('esent-only.json'), '-o', 'cmp'], io);
    assert.equal(code, 0, err.join('\n'));
    const html = fs.readFileSync(path.join(dir, 'cmp', 'matrix.html'), 'utf8');
    assert.match(html, /<th scope="colgroup" colspan="2" class="impl-start">reference 0\.1\.0<\/th><th scope="colgroup" colspan="2" class="impl-start">&lt;script>alert\(1\)&lt;\/script> 1\.0 &quot;beta&quot; &amp; &lt;b>bold&lt;\/b><\/th><th scope="colgroup" colspan="1" class="impl-start">wine-esent 9\.0<\/th>/);
    assert.ok(html.includes('href="#id-2-esent-ES-STOP-SERVICE"') && html.includes('id="id-2-esent-ES-STOP-SERVICE"'));
    assert.ok(fs.readFileSync(path.join(dir, 'cmp', 'matrix.md'), 'utf8').includes('| Catalogue ID | reference 0.1.0, documented | reference 0.1.0, esent |'));
    assert.equal(html.includes(evil), false);

    fs.writeFileSync(path.join(dir, 'broken.json'), '{"schemaVersion":1,"implementation":{}}');
    assert.equal(await main(['matrix', 'broken.json', '-o', 'x'], io), 2);
    assert.match(err.at(-1)!, /^ese-conformance matrix: .*broken\.json is not a matrix\.json of this suite: implementation must have/);
    fs.writeFileSync(path.join(dir, 'notjson.json'), 'nope');
    assert.equal(await main(['matrix', 'notjson.json', '-o', 'x'], io), 2);
    assert.match(err.at(-1)!, /notjson\.json is not JSON/);
    assert.equal(await main(['matrix', fixturePath('mixed.json')], io), 2);
    assert.match(err.at(-1)!, /-o DIR is required/);
    assert.equal(await main(['matrix', '-o', 'x'], io), 2);
    assert.equal(await main(['matrix', fixturePath('mixed.json'), '-o', 'x', '--bogus'], io), 2);
    assert.equal(fs.existsSync(path.join(dir, 'x')), false, 'nothing written on bad input');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

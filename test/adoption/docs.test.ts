/**
 * The copy-paste pipelines stay true: every `ese-conformance` command in docs/ci.md and the
 * example's README names a real sub-command and only options its --help lists, and the files the
 * pipelines point at exist.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from '../../cli/command';
import { repoRoot } from './helpers';

const documents = ['docs/ci.md', 'examples/python-adapter/README.md'];

/** Code blocks as logical lines: shell `\` continuations and YAML folded (`>-`) scalars joined. */
function logicalLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const [, block] of markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    const raw = block.replace(/\\\n\s*/g, ' ').split('\n');
    for (let i = 0; i < raw.length; i++) {
      let line = raw[i];
      if (/:\s*>-?\s*$|-\s*>-?\s*$/.test(line)) {
        const indent = (raw[i + 1] ?? '').search(/\S/);
        const parts: string[] = [];
        while (i + 1 < raw.length && raw[i + 1].search(/\S/) >= indent && indent > 0) parts.push(raw[++i].trim());
        line = parts.join(' ');
      }
      lines.push(line);
    }
  }
  return lines;
}

/** Each `ese-conformance <command> [options]` up to the `--` that starts the implementation's command. */
function invocations(line: string): { command: string; options: string[] }[] {
  const found: { command: string; options: string[] }[] = [];
  for (const m of line.matchAll(/(?:ese-conformance|cli\/main\.ts)\s+([a-z][\w-]*)((?:\s+(?!--(?:\s|$))\S+)*)/g)) {
    const options = m[2].split(/\s+/).filter((t) => /^--[a-z]/.test(t)).map((t) => t.replace(/=.*$/, ''));
    found.push({ command: m[1], options });
  }
  return found;
}

describe('docs: the pipelines use real commands and options', () => {
  for (const doc of documents) {
    it(`${doc}: every ese-conformance command and option exists`, () => {
      const text = fs.readFileSync(path.join(repoRoot, doc), 'utf8');
      const all = logicalLines(text).flatMap(invocations);
      assert.ok(all.length >= 2, `${doc}: expected ese-conformance commands in its code blocks, found ${all.length}`);
      for (const { command, options } of all) {
        const file = path.join(repoRoot, 'cli', 'commands', `${command}.ts`);
        assert.ok(fs.existsSync(file), `${doc}: 'ese-conformance ${command}' is not a command`);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a command module named by the doc; typed by the cast
        const { usage } = (require(file) as { command: Command }).command;
        for (const option of options) assert.ok(usage.includes(option), `${doc}: 'ese-conformance ${command} ${option}' is not in its --help`);
      }
    });
  }

  it('docs/ci.md gates on an expectations file and runs the smoke test in both pipelines', () => {
    const lines = logicalLines(fs.readFileSync(path.join(repoRoot, 'docs', 'ci.md'), 'utf8'));
    const runs = lines.flatMap(invocations).filter((i) => i.command === 'run' && i.options.includes('--adapter'));
    assert.ok(runs.filter((r) => r.options.includes('--expectations')).length >= 3, 'local, GitHub and GitLab runs with --expectations');
    assert.ok(lines.flatMap(invocations).filter((i) => i.command === 'smoke').length >= 3);
  });

  it('the files the docs point at exist', () => {
    for (const rel of ['.github/workflows/ci.yml', '.ci/run', 'schemas/matrix.schema.json', 'schemas/expectations.schema.json', 'examples/python-adapter/adapter.py', 'examples/python-adapter/python-model.expectations']) {
      assert.ok(fs.existsSync(path.join(repoRoot, rel)), rel);
    }
    const workflow = fs.readFileSync(path.join(repoRoot, '.github', 'workflows', 'ci.yml'), 'utf8');
    assert.match(workflow, /^\s+run: .*bash \.ci\/run$/m);
  });
});

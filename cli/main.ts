#!/usr/bin/env node
/** `ese-conformance`: dispatches to the sub-commands under cli/commands/. */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { UsageError, type CliIo, type Command } from './command';
import { packageVersion } from '../harness/package-root';
import { withCode } from '../harness/error-codes';
import { keepExitCode } from './keep-exit-code';

/** A command's module, loaded on use: `serve-reference` starts without loading cucumber. */
function load(file: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (start-up time); typed by the cast
  return (require(`./commands/${file}`) as { command: Command }).command;
}

const commands: Record<string, () => Command> = {
  run: () => load('run'),
  list: () => load('list'),
  'serve-reference': () => load('serve-reference'),
  smoke: () => load('smoke'),
  matrix: () => load('matrix'),
  expectations: () => load('expectations'),
  fuzz: () => load('fuzz'),
  mutants: () => load('mutants'),
};

/** Commands whose summary and usage live apart from them: `run --help` loads neither cucumber nor the adapters. */
const usages: Record<string, () => Pick<Command, 'summary' | 'usage'>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (start-up time); typed by the cast
  run: () => require('./commands/run-usage') as Pick<Command, 'summary' | 'usage'>,
};

const helpOf = (name: string): Pick<Command, 'summary' | 'usage'> => (usages[name] ?? commands[name])();

function available(): string[] {
  const dir = path.join(__dirname, 'commands');
  return Object.keys(commands).filter((name) =>
    ['.ts', '.js'].some((ext) => fs.existsSync(path.join(dir, name + ext))),
  );
}

function help(): string {
  const lines = ['Usage: ese-conformance <command> [options]', '', 'Commands:'];
  for (const name of available()) lines.push(`  ${name.padEnd(16)} ${helpOf(name).summary}`);
  lines.push('', 'ese-conformance <command> --help shows the options of one command.');
  return lines.join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(packageVersion());
    return 0;
  }
  if (!available().includes(name)) {
    io.err(withCode(`ese-conformance: unknown command '${name}'; run 'ese-conformance --help' for the list`, 'ERR_ESE_UNKNOWN_COMMAND'));
    return 2;
  }
  // Only the command's own arguments: what follows `--` belongs to the implementation's command.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    io.out(helpOf(name).usage);
    return 0;
  }
  const command = commands[name]();
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`ese-conformance ${name}: ${e.line}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  // `ese-conformance list | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: CliIo = {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => keepExitCode(code, io.err),
    (e: unknown) => {
      process.stderr.write(`ese-conformance: internal error [ERR_ESE_INTERNAL]: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      keepExitCode(70, io.err);
    },
  );
}

/** Argument parsing shared by the sub-commands: node's parseArgs, with user errors as UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** `run --tier esent -- ./impl -x` → own: the command's options; command: what follows `--`, verbatim. */
export function splitAtDashDash(argv: readonly string[]): { own: string[]; command: string[] } {
  const at = argv.indexOf('--');
  return at < 0 ? { own: [...argv], command: [] } : { own: argv.slice(0, at), command: argv.slice(at + 1) };
}

/** Strict parsing of the command's own options; a bad flag is one line pointing at --help. */
export function parseOptions(commandName: string, args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): OptionValues {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/\.$/, '');
    // `run --adapter process ./my-ese`: the implementation's command belongs after `--`.
    const positional = /^Unexpected argument '([^']*)'/.exec(first);
    if (positional && (commandName === 'run' || commandName === 'smoke')) {
      throw new UsageError('ERR_ESE_UNEXPECTED_ARGUMENT', `unexpected argument '${positional[1]}': the implementation's command goes after --, e.g. ese-conformance ${commandName}${commandName === 'run' ? ' --adapter process' : ''} -- ${positional[1]}`);
    }
    // Node's parseArgs codes: an unknown option, a positional argument, or an option without its value.
    const nodeCode = (e as NodeJS.ErrnoException).code;
    const code = nodeCode === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'ERR_ESE_UNKNOWN_OPTION' : nodeCode === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? 'ERR_ESE_UNEXPECTED_ARGUMENT' : 'ERR_ESE_INVALID_VALUE';
    throw new UsageError(code, `${first}; see 'ese-conformance ${commandName} --help'`);
  }
}

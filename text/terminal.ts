/**
 * Neutralising implementation-supplied text before it reaches a terminal or a CI log. A run prints
 * names, versions, reasons and stderr lines an implementation chose; in a log those bytes must not
 * act: no GitHub workflow command (`::stop-commands::`, `::error ...::` at a line start, the legacy
 * `##[error]` anywhere in a line), no GitLab section marker or ANSI sequence (both start with ESC),
 * no carriage return redrawing a line, no line break forging a line of ours, no bidirectional
 * override reordering what is shown, no lone surrogate (a log's encoder would turn it into U+FFFD or
 * fail). The text stays readable: each such character is written as a visible escape (`\x1b`,
 * `\u202e`, `\ud800`), `##[` as `#\x23[` and a last `#` as `\x23` (so that no piece printed after
 * it completes a `##[`). A `:` is escaped (`\x3a`) only where GitHub's runner could read a command:
 * the text's first character but white space (actions/runner ActionCommand.TryParseV2 trims leading
 * white space and then wants `::`; the legacy `##[` counts anywhere in a line), so a scenario id
 * `features/x.feature::name` inside a line reads as written. Reports keep the original text,
 * escaped for their own format (reporting/escape.ts).
 *
 * The bottom layer for text (text/): the harness, the reports and the CLI all print such text, and
 * imports nothing.
 */

/**
 * C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings, overrides and isolates, BOM,
 * and a surrogate that is not half of a pair.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hex(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A `:` that is the text's first character but whitespace. Every line break is escaped (the runner
 * reads a line up to CR or LF), so the text's start is the only place in it a line can start; the
 * caller may print it at one, after its own indentation or after another piece (`" :"` then
 * `":error::x"`), so a lone leading `:` is escaped too. JavaScript's \s holds every character .NET's
 * TrimStart removes.
 */
const leadingColon = /^(\s*):/;

/** A last `#`: a piece printed after it that starts with `#[` would make the legacy `##[`. */
const trailingHash = /#$/;

/**
 * Untrusted text as a piece of one log line: every control character visible, workflow-command
 * markers broken. Tabs are kept only when `keepTabs` (they cannot act).
 */
export function neutralise(text: string, opts: { keepTabs?: boolean; keepColons?: boolean } = {}): string {
  const visible = text
    .replace(unsafe, (c) => (opts.keepTabs && c === '\t' ? c : hex(c)))
    .replace(/##\[/g, '#\\x23[')
    .replace(trailingHash, '\\x23');
  // Inside a workflow command of ours (keepColons) the text is never at a line start: its `:` is data.
  return opts.keepColons ? visible : visible.replace(leadingColon, '$1\\x3a');
}

/** One log line of ours that may contain untrusted text anywhere: the same as neutralise, tabs kept. */
export function safeLine(line: string): string {
  return neutralise(line, { keepTabs: true });
}

/**
 * A printer that neutralises each line it is given and then prints it. Multi-line text is split
 * first so that each of its lines is one line of the log (and none starts with a marker).
 */
export function safePrinter(print: (line: string) => void): (text: string) => void {
  return (text) => {
    for (const line of text.split(/\r\n|\n/)) print(safeLine(line));
  };
}

/**
 * Untrusted text as one bounded piece of a line: whitespace runs (line breaks included) as one
 * space, at most `max` characters of the text kept (then `…`; a surrogate pair is never split),
 * then neutralised, so the result is at most about 6 × `max` long whatever the input's size. Only a
 * bounded head of a huge input is read.
 */
export function terminalLine(text: string, max: number): string {
  // Collapsing whitespace shortens the text: 8 × max of the input is enough for max of the line
  // unless it is mostly whitespace, which is then cut (and marked) too.
  const head = text.length > max * 8 ? text.slice(0, max * 8) : text;
  const line = head.replace(/\s+/g, ' ').trim();
  if (line.length <= max && head === text) return neutralise(line);
  let end = Math.min(line.length, Math.max(0, max - 1));
  if (end > 0 && /[\ud800-\udbff]/.test(line[end - 1]) && /[\udc00-\udfff]/.test(line[end] ?? '')) end -= 1;
  return `${neutralise(line.slice(0, end))}…`;
}

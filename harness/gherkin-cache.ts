/**
 * Feature files parsed once per process, not once per tier of every run: runCucumber parses every
 * feature file of its paths each time it is called (then filters the pickles by tag), which was
 * 70-130 ms a tier here, 15-20 % of each in-process suite run and of each run of a mutant campaign's
 * workers. The parse is kept with the text it was made from, and used again only when every file
 * still holds exactly that text (read again on each run): an edited feature is parsed afresh.
 *
 * How: cucumber's runCucumber calls getPicklesAndErrors through its module's exports
 * (@cucumber/cucumber/lib/api/gherkin, pinned 12.9.0 in package.json), so this module wraps that
 * export. On a hit the same envelopes (source, gherkinDocument, pickles, parse errors) go to the run's
 * listeners in the same order as a parse gives them; only their ids repeat from one run to the next
 * (each run's own ids, test cases and steps, are new). test/harness/gherkin-cache.test.ts.
 */
import * as fs from 'node:fs';
import type * as messages from '@cucumber/messages';

interface FilterablePickle {
  readonly gherkinDocument: messages.GherkinDocument;
  readonly location: messages.Location;
  readonly pickle: messages.Pickle;
}

interface PicklesAndErrors {
  readonly filterablePickles: FilterablePickle[];
  readonly parseErrors: messages.ParseError[];
}

interface GherkinOptions {
  readonly newId: messages.IdGenerator.NewId;
  readonly cwd: string;
  readonly sourcePaths: string[];
  readonly coordinates: { readonly defaultDialect?: string };
  readonly onEnvelope?: (envelope: messages.Envelope) => void;
}

type GetPicklesAndErrors = (options: GherkinOptions) => Promise<PicklesAndErrors>;

interface GherkinModule {
  getPicklesAndErrors: GetPicklesAndErrors & { readonly parsedOnce?: true };
}

interface Parsed {
  /** The text of each source path, as parsed. */
  readonly texts: readonly string[];
  readonly envelopes: readonly messages.Envelope[];
  readonly result: PicklesAndErrors;
}

/** By cwd, dialect and source paths: the last parse of those files. */
const parses = new Map<string, Parsed>();

/** Counts, for the test: parses made, parses used again. */
export const gherkinCacheStats = { parsed: 0, reused: 0 };

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf-8');
  } catch {
    return undefined;
  }
}

function wrap(parse: GetPicklesAndErrors): GherkinModule['getPicklesAndErrors'] {
  const cached = async (options: GherkinOptions): Promise<PicklesAndErrors> => {
    const key = JSON.stringify([options.cwd, options.coordinates.defaultDialect ?? null, options.sourcePaths]);
    const texts = options.sourcePaths.map(read);
    const hit = parses.get(key);
    if (hit !== undefined && texts.every((t, i) => t === hit.texts[i])) {
      gherkinCacheStats.reused++;
      for (const e of hit.envelopes) options.onEnvelope?.(e);
      // Fresh arrays and entries: cucumber's filter and order plugins build on them.
      return { filterablePickles: hit.result.filterablePickles.map((p) => ({ ...p })), parseErrors: [...hit.result.parseErrors] };
    }
    const envelopes: messages.Envelope[] = [];
    const result = await parse({ ...options, onEnvelope: (e) => (envelopes.push(e), options.onEnvelope?.(e)) });
    gherkinCacheStats.parsed++;
    // Kept only when what was parsed is what was read here: each source envelope's text, path by path.
    const parsedTexts = envelopes.flatMap((e) => (e.source === undefined ? [] : [e.source.data]));
    if (texts.every((t) => t !== undefined) && parsedTexts.length === texts.length && parsedTexts.every((t, i) => t === texts[i])) {
      parses.set(key, { texts: parsedTexts, envelopes, result: { filterablePickles: result.filterablePickles.map((p) => ({ ...p })), parseErrors: [...result.parseErrors] } });
    } else parses.delete(key);
    return result;
  };
  return Object.assign(cached, { parsedOnce: true as const });
}

/** Installs the wrapper (once per process); true when cucumber's parse entry is wrapped. */
export function parseFeaturesOnce(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- cucumber's internal module, by its package's "./lib/*" export
  const gherkin = require('@cucumber/cucumber/lib/api/gherkin') as GherkinModule;
  if (gherkin.getPicklesAndErrors.parsedOnce !== true) gherkin.getPicklesAndErrors = wrap(gherkin.getPicklesAndErrors);
  return gherkin.getPicklesAndErrors.parsedOnce === true;
}

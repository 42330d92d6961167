/**
 * The scenarios `ese-conformance list` prints (id and tags), without parsing the feature files on
 * every start: Gherkin parsing is most of `list`'s start-up (about 80 ms of CPU for the suite's
 * features, against 25 ms for loading every module), and grows with every scenario. The build
 * writes the index beside this module (`node dist/cli/feature-list.js`, package.json postbuild);
 * it is used only while the feature files are byte for byte the ones it was written from (a
 * SHA-256 of their paths and contents), else they are parsed as before. From source (ts-node)
 * there is no index: always parsed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { featureFiles } from '../harness/feature-index';
import { packageRoot } from '../harness/package-root';

export interface ListedScenario {
  readonly id: string;
  readonly tags: readonly string[];
}

interface ScenarioIndex {
  readonly sha256: string;
  readonly scenarios: readonly ListedScenario[];
  readonly errors: readonly string[];
}

const indexFile = path.join(__dirname, 'features.index.json');

/** The feature files below `root/features` with their contents, in the order the parser reads them. */
function sources(root: string): { files: string[]; sha256: string } {
  const files = featureFiles(path.join(root, 'features'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${path.relative(root, f).replace(/\\/g, '/')}\0${fs.readFileSync(f, 'utf8')}\0`);
  return { files, sha256: hash.digest('hex') };
}

/** Parsed now (the Gherkin parser is loaded only here). */
function parsed(root: string, files: readonly string[]): ScenarioIndex & { sha256: '' } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (start-up time); typed by the cast
  const { indexFeatureFiles } = require('../harness/feature-index') as typeof import('../harness/feature-index');
  const { scenarios, errors } = indexFeatureFiles(root, files);
  return { sha256: '', scenarios: scenarios.map((s) => ({ id: s.id, tags: s.tags })), errors };
}

function readIndex(file: string): ScenarioIndex | undefined {
  try {
    const index = JSON.parse(fs.readFileSync(file, 'utf8')) as ScenarioIndex;
    return typeof index.sha256 === 'string' && Array.isArray(index.scenarios) && Array.isArray(index.errors) ? index : undefined;
  } catch {
    return undefined; // none (from source), or unreadable: parse
  }
}

/** Every scenario of the package's features (outline rows expanded) with its tags, and the parse errors. */
export function listedScenarios(root = packageRoot, file = indexFile): { scenarios: readonly ListedScenario[]; errors: readonly string[] } {
  const { files, sha256 } = sources(root);
  const index = readIndex(file);
  return index !== undefined && index.sha256 === sha256 ? index : parsed(root, files);
}

/** Writes the index of the package's features beside this module (the build runs it). */
export function writeScenarioIndex(root = packageRoot, file = indexFile): string {
  const { files, sha256 } = sources(root);
  const index: ScenarioIndex = { ...parsed(root, files), sha256 };
  fs.writeFileSync(file, JSON.stringify(index));
  return file;
}

if (require.main === module) writeScenarioIndex();

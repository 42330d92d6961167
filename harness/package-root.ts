/** The package root: where features/, catalogue/ and package.json are, from source and from dist/ alike. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const packageRoot = [path.join(__dirname, '..'), path.join(__dirname, '..', '..')].find((p) =>
  fs.existsSync(path.join(p, 'features')),
) ?? path.join(__dirname, '..');


export { packageVersion } from '../adapters/package-version';

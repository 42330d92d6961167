/**
 * Writes features/generated/check-order.feature from catalogue/check-order.json: one outline row per
 * pair of conditions that can hold at once. `--check` exits 1 when the file is not up to date.
 * Run: npm run check-order:generate [-- --check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkOrderFeature, checkOrderFeatureFile } from '../harness/check-order';

const text = checkOrderFeature();
const file = path.join(__dirname, '..', checkOrderFeatureFile);
if (process.argv.includes('--check')) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== text) {
    console.error(`${checkOrderFeatureFile} is not up to date with catalogue/check-order.json: run npm run check-order:generate`);
    process.exit(1);
  }
  console.log(`${checkOrderFeatureFile} is up to date`);
} else {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`wrote ${checkOrderFeatureFile}`);
}

// `ts-node/register/transpile-only` with its output kept on disk, for `npm test` (scripts/test.js
// points that module name here in every process it starts): ts-node registers exactly as that
// module does, and each file's output is ts-node's own, read back instead of compiled again when
// the same file, text and settings were compiled before. A test run starts a few hundred processes
// that each compiled the same modules again: most of their start-up time.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const tsNode = require('ts-node');

const service = tsNode.register({ transpileOnly: true });
const dir = process.env.ESE_TS_NODE_CACHE || path.join(__dirname, '..', 'node_modules', '.cache', 'ese-ts-node');
// Everything the output depends on besides the file: the versions and the settings ts-node resolved.
const salt = JSON.stringify([1, tsNode.VERSION, service.ts.version, service.config.options, service.options]);
const normalize = (p) => p.replace(/\\/g, '/');

// What node reads for a package's module type (nodenext emits by it), per folder.
const typeOf = new Map();
function packageType(folder) {
  let type = typeOf.get(folder);
  if (type === undefined) {
    const file = path.join(folder, 'package.json');
    const parent = path.dirname(folder);
    if (fs.existsSync(file)) {
      try {
        type = String(JSON.parse(fs.readFileSync(file, 'utf8')).type);
      } catch {
        type = 'unreadable';
      }
    } else type = parent === folder ? 'none' : packageType(parent);
    typeOf.set(folder, type);
  }
  return type;
}

const outputs = new Map();
const compile = service.compile;
service.compile = function cachedCompile(code, fileName, lineOffset) {
  if (lineOffset) return compile.call(this, code, fileName, lineOffset);
  const key = crypto.createHash('sha256').update(salt).update('\0').update(fileName).update('\0').update(packageType(path.dirname(fileName))).update('\0').update(code).digest('hex');
  const file = path.join(dir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(file, 'utf8');
  } catch {
    output = compile.call(this, code, fileName);
    try {
      // Written whole, then renamed: a process reading it at the same time sees all of it or none.
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, output);
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk: compiled every time, as without the cache.
    }
  }
  outputs.set(normalize(fileName), output);
  return output;
};

// Stack traces map to the TypeScript lines through the output's inline source map, which ts-node
// serves only for what it compiled itself: this serves the rest (consulted first).
require('@cspotcode/source-map-support').install({ retrieveFile: (p) => outputs.get(normalize(p)) || '' });

// npm test's third reporter: each test file's wall time in its lane (from the previous file's last
// result to its own last result, so its process start and module loading count), slowest first.
'use strict';
// The runner process (not the test files' processes) pipes its events to a third reporter here:
// node 20 counts that as 11 'end' listeners and warns of a leak.
require('node:events').defaultMaxListeners = 20;
module.exports = async function* durations(source) {
  const files = new Map();
  let last = Date.now();
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || event.data.file === undefined) continue;
    const now = Date.now();
    files.set(event.data.file, (files.get(event.data.file) ?? 0) + (now - last));
    last = now;
  }
  const rows = [...files].sort((a, b) => b[1] - a[1]);
  for (const [file, ms] of rows) yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`;
};

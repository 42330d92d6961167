'use strict';
// Preloaded with --require: at exit, writes the loaded module paths to stderr as one JSON line.
process.on('exit', () => {
  process.stderr.write('MODULES ' + JSON.stringify(Object.keys(require.cache)) + '\n');
});

// cucumber-js configuration: `npx cucumber-js` runs the features against the reference engine, each
// scenario in its strictest tier (esent when it has one, documented otherwise), with the same checks
// and verdicts as `ese-conformance run`. Step definitions load as TypeScript through ts-node (for
// development and editors' step discovery). `ese-conformance run` is the main entry point: it runs
// every tier, writes the reports and gates on expectations; it does not read this file.
//
//   npx cucumber-js                                   reference engine, strictest tier per scenario
//   npx cucumber-js -p esent                          esent tier only (-p documented: documented tier)
//   npx cucumber-js --tags @ES-SESSION-IN-USE         one catalogue ID
//   npx cucumber-js --format html:reports/cucumber.html
//   ESE_COMMAND="python3 examples/python-adapter/adapter.py" npx cucumber-js -p process
//   npx cucumber-js -p process -p esent               profiles combine
//   --world-parameters '{"adapter":"process","command":["./my-ese","--stdio"],"timeoutMs":10000}'
'use strict';

// Every profile is complete on its own; combined (-p a -p b) cucumber concatenates the lists (and
// loads each file once) and merges the world parameters. A profile that names neither an adapter nor
// a tier leaves the run state to whoever sets it (Stryker's profile in mutants/stryker/).
const common = {
  paths: ['features/**/*.feature'],
  // After ts-node, mutants/register.ts makes world parameter adapter 'mutant:NAME' resolvable
  // (adapters/ never requires mutants/); loaded as a module, not glue: steps/ holds every step.
  requireModule: ['ts-node/register/transpile-only', require('node:path').join(__dirname, 'mutants', 'register.ts')],
  require: ['steps/**/*.ts'],
  // The score, once, from every worker's verdicts (a worker sees only its own under --parallel).
  plugin: [require('node:url').pathToFileURL(require('node:path').join(__dirname, 'steps', 'summary-plugin.cjs')).href],
  strict: true,
};

module.exports = {
  default: { ...common, worldParameters: { adapter: 'reference', tier: 'strictest' } },
  esent: { ...common, tags: '@esent', worldParameters: { tier: 'esent' } },
  documented: { ...common, tags: '@documented', worldParameters: { tier: 'documented' } },
  process: {
    ...common,
    worldParameters: {
      adapter: 'process',
      command: (process.env.ESE_COMMAND ?? '').split(/\s+/).filter((s) => s !== ''),
      timeoutMs: Number(process.env.ESE_TIMEOUT_MS ?? 10000),
    },
  },
  // Stryker's cucumber runner (stryker.config.json); cucumber reads this file before a cucumber.cjs.
  mutation: require('./mutants/stryker/cucumber.cjs').mutation,
};

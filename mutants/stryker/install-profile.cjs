// Stryker's buildCommand (stryker.config.json), run in Stryker's sandbox (the current directory):
// 1. puts the `mutation` cucumber profile where cucumber looks for its config, the sandbox's root;
// 2. copies the unmutated engine (api/, oracle/, adapters/ of the project Stryker was started in)
//    to .judge/, which mutants/stryker/support.ts makes the judge (harness/judge.ts): the sandbox's
//    oracle/ holds every mutant, and a shadow run on it would agree with the mutant it judges.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const sandbox = process.cwd();
// The sandbox is <project>/<tempDirName>/sandbox-XXXX (stryker.config.json: tempDirName).
const project = path.resolve(sandbox, '..', '..');
if (!fs.existsSync(path.join(project, 'oracle', 'endsession.ts')) || path.resolve(project) === path.resolve(sandbox)) {
  console.error(`install-profile: the project Stryker was started in is not ${project} (expected the sandbox two levels below it)`);
  process.exit(2);
}
fs.copyFileSync(path.join(__dirname, 'cucumber.cjs'), path.join(sandbox, 'cucumber.cjs'));
const judge = path.join(sandbox, '.judge');
fs.rmSync(judge, { recursive: true, force: true });
for (const part of ['api', 'oracle', 'adapters', 'package.json']) fs.cpSync(path.join(project, part), path.join(judge, part), { recursive: true });

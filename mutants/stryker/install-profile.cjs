// Stryker's buildCommand (stryker.config.json): puts the `mutation` cucumber profile where cucumber
// looks for its config, the root of Stryker's sandbox (the current directory when Stryker runs this).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
fs.copyFileSync(path.join(__dirname, 'cucumber.cjs'), path.join(process.cwd(), 'cucumber.cjs'));

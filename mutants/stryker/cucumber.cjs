// The cucumber profile Stryker's cucumber runner uses (stryker.config.json: "cucumber": {"profile":
// "mutation"}). Cucumber only finds its config at the project root, so Stryker's buildCommand
// copies this file there inside its sandbox; the project itself keeps no cucumber config file.
'use strict';
module.exports = {
  default: {},
  mutation: {
    paths: ['features/**/*.feature'],
    requireModule: ['ts-node/register/transpile-only'],
    require: ['mutants/stryker/support.ts', 'steps/**/*.ts'],
    strict: true,
  },
};

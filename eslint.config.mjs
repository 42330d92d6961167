// typescript-eslint's recommended type-checked rules over every TypeScript file the type check
// covers (tsconfig.json). `npm run lint`; generated and vendored folders are ignored.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'reports/**', 'node_modules/**', 'bridge/**', 'examples/**', '**/*.js', '**/*.cjs', '**/*.mjs', '.stryker-tmp*/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test/describe/it return promises the runner itself awaits (typescript-eslint's
      // documented allowance for known-safe calls).
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      // A leading underscore marks a parameter or binding that is unused on purpose: a method that
      // implements an interface without needing every argument, or a property left out of a rest copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);

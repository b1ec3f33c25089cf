// ESLint 9 flat config: correctness rules only, type-aware for TypeScript. No stylistic rules
// (eslint-config-prettier switches off any that a preset brings): layout is Prettier's job.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build output and generated grammars (scripts/build.mjs writes *.parser.js and *.parser.d.ts).
  { ignores: ['dist/', '**/*.parser.js', '**/*.parser.d.ts', 'node_modules/', '.ruleatlas/', '.ruleatlas-cache/', 'tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Commands' run() is async by contract (Command in cli/command.ts); a body with nothing to await is fine.
      '@typescript-eslint/require-await': 'off',
      // Fires on YAML values typed unknown (narrowed to {} after null checks) that the formats' schemas make scalars.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  // Tests read JSON output (JSON.parse gives any) and let assert check its shape.
  {
    files: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // Node scripts outside the TypeScript project: no type information, Node globals.
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  // The browser's progressive-enhancement script: in the TypeScript project through allowJs, but with
  // checkJs off, so a fetch response's json() stays any (and so does what is read and called on it).
  {
    files: ['src/web/static/**/*.js'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
);

// ESLint: TypeScript and Vue, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Correctness rules only: layout is left to the author, so lint stays about defects.
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.ts', '**/*.cts', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      globals: { ...globals.browser },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/ may import electron.' }] }],
    },
  },
  {
    // Routed pages are never used as tags, so they cannot clash with HTML elements.
    files: ['renderer/views/**/*.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
  {
    files: ['electron/**'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The renderer imports these at run time, so they must stay free of imports.
    files: ['main/**/vocabulary.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'A vocabulary file is pure data: it imports nothing.' }] }] },
  },
  {
    files: ['renderer/**'],
    rules: {
      // Except vocabulary.ts files: pure data (codes and their labels) with no imports of their own.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(node:|(\\.\\./)+main/(?!.*/vocabulary\\.ts$))', allowTypeImports: true, message: 'The renderer never imports Node or main/ at run time (vocabulary.ts files excepted).' },
          ],
        },
      ],
    },
  },
);

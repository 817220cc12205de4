// Flat config. The workflow override mirrors Temporal's samples-typescript rule:
// workflow code runs in a deterministic sandbox, so it may import only
// @temporalio/workflow, types from activities/, and the pure domain/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'db/migrations/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['*', '!@temporalio/workflow', '!@temporalio/common', '!./*', '!../domain/*', '!../domain/**', '!../activities', '!../activities/*'],
              message: 'Workflow code runs in the Temporal sandbox: import only @temporalio/workflow, pure domain/ code and (as types) activities/.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' }],
        },
      ],
    },
  },
);

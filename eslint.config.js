// Flat config. The workflow override mirrors Temporal's samples-typescript rule:
// workflow code runs in a deterministic sandbox, so it may import only
// @temporalio/workflow, types from activities/, and the pure domain/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What workflow code may import, for files whose way up to the repository root is `up` ('../' in
 * workflows/, '../../' in workflows/<workflow>/): of packages only @temporalio/workflow and
 * @temporalio/common; outside workflows/ only the pure domain/ and, as types, activities/.
 */
function workflowImportPatterns(up) {
  const parent = up.replaceAll('.', '\\.');
  return [
    {
      regex: '^(?!@temporalio/(workflow|common)$)(?!\\.)',
      message: 'Workflow code runs in the Temporal sandbox: of packages, only @temporalio/workflow and @temporalio/common.',
    },
    {
      regex: `^${parent}(?!domain/|activities$|activities/)`,
      message: 'Workflow code may import only pure domain/ code and (as types) activities/.',
    },
    {
      regex: `^${parent}activities`,
      allowTypeImports: true,
      message: 'Import activities as types only (proxyActivities).',
    },
  ];
}

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
    // The dashboard's browser script (served as it is, no build step).
    files: ['web/static/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', crypto: 'readonly', FormData: 'readonly', HTMLElement: 'readonly', CSS: 'readonly', URL: 'readonly', Blob: 'readonly' },
    },
  },
  {
    // The worker evaluates these modules once per thread and shares them between workflows
    // (worker/create-worker.ts, preloadModules): a module-level variable would leak from one
    // workflow into the next.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > VariableDeclaration[kind="let"], Program > ExportNamedDeclaration > VariableDeclaration[kind="let"]',
          message: 'Workflow and domain modules are shared by every workflow of a worker thread: no module-level let.',
        },
      ],
    },
  },
  {
    files: ['workflows/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: workflowImportPatterns('../') }] },
  },
  {
    // A workflow's own modules one folder down (workflows/unit/, workflows/campaign/): the same rule, one level deeper.
    files: ['workflows/*/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: workflowImportPatterns('../../') }] },
  },
  {
    files: ['workflows/*/*/**'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'Program', message: 'Workflow modules go at most one folder deep (workflows/<workflow>/), where the import rule reaches.' }] },
  },
  {
    // A workflow reads as its plan: its body a short sequence of stages, each stage and handler a
    // function of its own beside it, none longer than a screenful or two.
    files: ['workflows/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 150, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Workflow interceptors compiled into the workflow bundle: the same sandbox, so only
    // @temporalio/workflow, types of @temporalio/common and the sandbox half of the tracing interceptors.
    files: ['observability/workflow-tracing.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/(workflow|common)$)(?!@temporalio/interceptors-opentelemetry/lib/workflow$)',
              message: 'Workflow interceptors run in the Temporal sandbox: only @temporalio/workflow, @temporalio/common and @temporalio/interceptors-opentelemetry/lib/workflow.',
            },
          ],
        },
      ],
    },
  },
);

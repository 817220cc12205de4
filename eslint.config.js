// Flat config. The workflow override mirrors Temporal's samples-typescript rule:
// workflow code runs in a deterministic sandbox, so it may import only
// @temporalio/workflow, the message contracts/, types from activities/, and the pure domain/.
// The floors below keep every other arrow pointing inward (README.md, "Architecture").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Our top folders. A relative import reaches one of them through one or more '../' (after an
// optional './', which resolves the same); no folder under a restricted floor reuses one of these
// names, so the first segment after the '../'s names the floor the import lands on.
const FLOORS = ['domain', 'contracts', 'workflows', 'activities', 'db', 'application', 'http', 'api', 'web', 'server',
  'worker', 'runtime', 'observability', 'formats', 'notifications', 'verification', 'seed', 'scripts', 'bench', 'test'];

const UP = '^(\\./)*(\\.\\./)+';
const into = (floors) => `${UP}(?!\\.\\./)(${floors.join('|')})(/|$)`;
const outside = (allowed) => FLOORS.filter((floor) => !allowed.includes(floor));

/**
 * One floor's rule: `forbidden` floors may not be imported at all; `typesOnly` floors only with
 * `import type` (a typed workflow start names the workflow's type, never loads its code);
 * `extra`: further patterns (packages, single files of a floor).
 */
function floor(name, files, forbidden, typesOnly = [], extra = []) {
  const patterns = [{ regex: into(forbidden), message: `${name} must not import ${forbidden.join(', ')} (README.md, "Architecture": arrows point inward).` }];
  if (typesOnly.length) {
    patterns.push({ regex: into(typesOnly), allowTypeImports: true, message: `${name} may import ${typesOnly.join(', ')} as types only (import type).` });
  }
  return { files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...extra, ...patterns] }] } };
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
  // The floors. domain/ and contracts/ stand on nothing of ours; the application layer stands
  // on db/; the two edges (api/ JSON, web/ HTML) are siblings on the application layer and the
  // shared HTTP plumbing (http/); only the composition root (server/) sees them all.
  floor('domain/', ['domain/**/*.ts'], outside(['domain'])),
  floor('contracts/', ['contracts/**/*.ts'], outside(['domain', 'contracts']), [], [
    {
      regex: '^(?!@temporalio/(workflow|common)$)(?!\\.)',
      message: 'contracts/ is bundled into the workflow sandbox: of packages, only @temporalio/workflow and @temporalio/common.',
    },
  ]),
  // Exception, types only: the fan-out starts each unit workflow typed by its signature
  // (`typeof unitWorkflowV2`), whose input carries the workflow's own continue-as-new state;
  // a type import loads no workflow code, and the type name itself is a string contract.
  floor('activities/', ['activities/**/*.ts'], ['api', 'web', 'http', 'server', 'application', 'verification'], ['workflows']),
  floor('db/', ['db/**/*.ts'], ['api', 'web', 'http', 'server', 'application', 'workflows', 'activities', 'verification', 'formats']),
  // Same exception: a campaign is started by its type name, typed by `typeof campaignWorkflow`.
  floor('application/', ['application/**/*.ts'], ['api', 'web', 'http', 'server', 'activities'], ['workflows']),
  floor('http/', ['http/**/*.ts'], ['api', 'web', 'server', 'db', 'workflows', 'activities', 'verification', 'formats']),
  floor('api/', ['api/**/*.ts'], ['web', 'db', 'server', 'workflows', 'activities', 'verification', 'formats']),
  floor('web/', ['web/**/*.ts'], ['api', 'db', 'server', 'workflows', 'activities', 'verification', 'formats']),
  floor('formats/', ['formats/**/*.ts'], ['api', 'web', 'http', 'server', 'application', 'workflows', 'activities', 'verification']),
  floor('seed/, runtime/', ['seed/**/*.ts', 'runtime/**/*.ts'], ['api', 'web', 'http', 'server', 'workflows', 'verification']),
  // Reminder texts and the SMTP transport: words from domain/, nothing else of ours (activities/ and worker/ use them).
  floor('notifications/', ['notifications/**/*.ts'], outside(['domain', 'notifications'])),
  // Metrics, readiness and request context, wired in by the composition roots: they read db/ and runtime/, never an edge or a workflow.
  floor('observability/', ['observability/**/*.ts'], ['api', 'web', 'http', 'server', 'worker', 'application', 'workflows', 'activities', 'verification']),
  // Verification checks a published bundle offline: it stands on domain/ (the same scoring that
  // computed the pass) and, for reading and importing a bundle, on db/. Nothing below it imports
  // it (domain/ imports only itself); the application layer and the composition roots use it.
  floor('verification/', ['verification/**/*.ts'], outside(['domain', 'db', 'verification'])),
  // The check and the bundle's types are pure, so a downloaded bundle is judged with no database
  // and no files: of db/ only the chain's hashing (db/chain.ts), which is the format db/ writes
  // the chain in; no database driver or ORM, no file system, network or process.
  floor('verification/ (the check)', ['verification/bundle.ts', 'verification/verify.ts'], outside(['domain', 'db', 'verification']), [], [
    {
      regex: `${UP}db/(?!chain$)`,
      message: 'verification/bundle.ts and verify.ts judge a bundle without a database: of db/ only db/chain.ts (the chain\'s hashing).',
    },
    {
      regex: '^(postgres|drizzle-orm|drizzle-kit|@electric-sql/pglite|pg)(/|$)',
      message: 'verification/bundle.ts and verify.ts judge a bundle without a database: no database driver or ORM.',
    },
    {
      regex: '^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|os)$',
      message: 'verification/bundle.ts and verify.ts are pure: the caller reads the bundle and hands it over (no file system, network or process).',
    },
  ]),
  // Workflow code runs in the Temporal sandbox: of ours only the pure domain/, the message
  // contracts/ and (as types, for proxyActivities) activities/.
  floor('workflows/', ['workflows/**/*.ts'], outside(['domain', 'contracts', 'workflows', 'activities']), ['activities'], [
    {
      regex: '^(?!@temporalio/(workflow|common)$)(?!\\.)',
      message: 'Workflow code runs in the Temporal sandbox: of packages, only @temporalio/workflow and @temporalio/common.',
    },
  ]),
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

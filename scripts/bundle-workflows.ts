import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflows } from '../worker/create-worker';

/**
 * Bundles workflows/ once, ahead of the worker (`npm run bundle:workflows [file]`;
 * the file defaults to WORKFLOW_BUNDLE_PATH, then dist/workflow-bundle.js). A
 * worker given WORKFLOW_BUNDLE_PATH runs it and skips bundling at start, which
 * would leave it about 130 MiB larger for its whole life (BENCHMARKS.md). Rebuild it
 * whenever workflows/ or domain/ change.
 */
const target = resolve(process.argv[2] ?? process.env.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js');
const bundle = await bundleWorkflows();
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, bundle.code);
console.log(`workflow bundle written to ${target} (${(bundle.code.length / 2 ** 20).toFixed(1)} MiB)`);

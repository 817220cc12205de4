import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The committed workflow histories are a contract with every run that is still
 * going in production: a run started under older code replays its own history
 * against the code deployed today. So a history may be added, never changed or
 * removed. The manifest pins each file's sha256; the unit test
 * (test/unit/history-manifest.test.ts) compares the folder with it.
 */
export const HISTORIES_DIR = join(import.meta.dirname, 'histories');
export const MANIFEST_PATH = join(import.meta.dirname, 'histories.manifest.json');

/** File name → sha256 (hex) of its bytes. */
export type Manifest = Record<string, string>;

export interface ManifestDrift {
  /** Listed, present, but its bytes differ from the recorded hash. */
  edited: string[];
  /** Listed but no longer in the folder. */
  removed: string[];
  /** In the folder but not listed yet. */
  unlisted: string[];
}

export function historyFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function readManifest(path: string = MANIFEST_PATH): Manifest {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : {};
}

export function manifestDrift(dir: string, manifest: Manifest): ManifestDrift {
  const present = new Set(historyFiles(dir));
  const edited: string[] = [];
  const removed: string[] = [];
  for (const [file, hash] of Object.entries(manifest)) {
    if (!present.has(file)) removed.push(file);
    else if (sha256Of(join(dir, file)) !== hash) edited.push(file);
  }
  const unlisted = [...present].filter((file) => !(file in manifest));
  return { edited: edited.sort(), removed: removed.sort(), unlisted };
}

/**
 * Adds the unlisted histories of `dir` to the manifest and keeps every listed
 * entry as it is, so an edited or removed history still fails the test.
 */
export function addUnlisted(dir: string = HISTORIES_DIR, path: string = MANIFEST_PATH): string[] {
  const manifest = readManifest(path);
  const { unlisted } = manifestDrift(dir, manifest);
  for (const file of unlisted) manifest[file] = sha256Of(join(dir, file));
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(path, `${JSON.stringify(sorted, null, 2)}\n`);
  return unlisted;
}

// `npx tsx test/replay/manifest.ts`: list histories added by hand.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const added = addUnlisted();
  console.log(added.length ? `added to the manifest:\n  ${added.join('\n  ')}` : 'every history is already in the manifest');
}

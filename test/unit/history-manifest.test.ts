import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORIES_DIR, addUnlisted, historyFiles, manifestDrift, readManifest } from '../replay/manifest';

/**
 * A running campaign replays its own history against today's code, so the
 * committed histories are append-only: a behaviour change to running workflows
 * is a new patch with new histories, never a rewrite (README, "How a campaign
 * runs"). This test names every history edited, removed or not yet listed.
 */
describe('the committed workflow histories', () => {
  const manifest = readManifest();
  const drift = manifestDrift(HISTORIES_DIR, manifest);

  it('are listed in the manifest', () => {
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
  });

  it('are never edited after they are committed', () => {
    expect(drift.edited, 'edited histories: record new ones under a new name and patch the workflow instead').toEqual([]);
  });

  it('are never removed', () => {
    expect(drift.removed, 'removed histories: a run started under that code may still be going').toEqual([]);
  });

  it('are each added to the manifest (npx tsx test/replay/manifest.ts)', () => {
    expect(drift.unlisted, 'histories not in test/replay/histories.manifest.json').toEqual([]);
  });
});

describe('the history manifest check', () => {
  let root = '';
  let dir = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Two real histories in a scratch folder, with their own manifest. */
  function scratch(): { dir: string; manifestPath: string; files: string[] } {
    root = mkdtempSync(join(tmpdir(), 'histories-'));
    dir = join(root, 'histories');
    mkdirSync(dir);
    const files = historyFiles(HISTORIES_DIR).slice(0, 2);
    for (const file of files) copyFileSync(join(HISTORIES_DIR, file), join(dir, file));
    const manifestPath = join(root, 'manifest.json');
    addUnlisted(dir, manifestPath);
    return { dir, manifestPath, files };
  }

  it('names a history whose bytes changed', () => {
    const { manifestPath, files } = scratch();
    const path = join(dir, files[0]!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"events"', '"events" '));
    expect(manifestDrift(dir, readManifest(manifestPath))).toEqual({ edited: [files[0]], removed: [], unlisted: [] });
  });

  it('names a history that was deleted', () => {
    const { manifestPath, files } = scratch();
    unlinkSync(join(dir, files[1]!));
    expect(manifestDrift(dir, readManifest(manifestPath))).toEqual({ edited: [], removed: [files[1]], unlisted: [] });
  });

  it('names a new history until it is added, and adding it keeps the older hashes', () => {
    const { manifestPath, files } = scratch();
    const before = readManifest(manifestPath);
    writeFileSync(join(dir, 'unit-new-v9.json'), '{"events":[]}');
    expect(manifestDrift(dir, before).unlisted).toEqual(['unit-new-v9.json']);

    // Adding does not re-hash listed files: an edit made at the same time still shows.
    writeFileSync(join(dir, files[0]!), '{"events":[]}');
    expect(addUnlisted(dir, manifestPath)).toEqual(['unit-new-v9.json']);
    const after = readManifest(manifestPath);
    expect(after[files[0]!]).toBe(before[files[0]!]);
    expect(manifestDrift(dir, after)).toEqual({ edited: [files[0]], removed: [], unlisted: [] });
  });
});

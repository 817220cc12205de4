import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { HISTORIES_DIR, addUnlisted } from '../../replay/manifest';

/**
 * With RECORD_HISTORIES set, saves the given workflows' histories for the replay
 * test (test/unit/workflow-replay.test.ts): `RECORD_HISTORIES=v3` writes
 * `<name>-v3.json`, so each workflow version adds its own files and the older
 * ones stay, and lists them in the manifest. The committed files are what
 * running workflows look like: a name already taken is refused rather than
 * overwritten, because the run it recorded may still be going in production.
 */
export async function recordHistories(handles: Record<string, WorkflowHandle>): Promise<void> {
  const version = process.env.RECORD_HISTORIES;
  if (!version) return;
  for (const [name, handle] of Object.entries(handles)) {
    const path = join(HISTORIES_DIR, `${name}-${version}.json`);
    if (existsSync(path)) throw new Error(`${path} is a committed history: record under a new version name`);
    const history = await handle.fetchHistory();
    writeFileSync(path, historyToJSON(history));
  }
  addUnlisted();
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = join(import.meta.dirname, '..', '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES set, saves the given workflows' histories for the replay
 * test (test/unit/workflow-replay.test.ts): `RECORD_HISTORIES=v3` writes
 * `<name>-v3.json`, so each workflow version adds its own files and the older
 * ones stay. The committed files are what running workflows look like; the
 * current code must keep replaying all of them (changes go through patched()).
 */
export async function recordHistories(handles: Record<string, WorkflowHandle>): Promise<void> {
  const version = process.env.RECORD_HISTORIES;
  if (!version) return;
  for (const [name, handle] of Object.entries(handles)) {
    const history = await handle.fetchHistory();
    writeFileSync(join(HISTORIES_DIR, `${name}-${version}.json`), historyToJSON(history));
  }
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = join(import.meta.dirname, '..', '..', 'replay', 'histories');

/**
 * With RECORD_HISTORIES=1, saves the given workflows' histories for the replay
 * test (test/unit/workflow-replay.test.ts). Record them again only for a new
 * scenario: the committed files are what running workflows look like, and the
 * current code must keep replaying them (changes go through patched()).
 */
export async function recordHistories(handles: Record<string, WorkflowHandle>): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  for (const [name, handle] of Object.entries(handles)) {
    const history = await handle.fetchHistory();
    writeFileSync(join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH, workflowBundlerOptions } from '../../worker/create-worker';
import { HISTORIES_DIR, historyFiles } from '../replay/manifest';

const files = historyFiles(HISTORIES_DIR);

interface RecordedHistory {
  events?: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[];
}

Runtime.install({ logger: new DefaultLogger('WARN') });

/**
 * Histories recorded from real runs (campaign, units with an explanation round,
 * a council return, a late submission, the survey track) replayed against the
 * current workflow code. A change that is not guarded by patched() makes a
 * replay diverge and fails here before it can break a running campaign.
 */
describe('recorded workflow histories', () => {
  it('are committed for every workflow type', () => {
    const types = new Set(files.map((file) => file.split('-')[0]));
    expect([...types].sort()).toEqual(['campaign', 'survey', 'unit']);
  });

  // The bundle of every worker has the tracing interceptors (observability/workflow-tracing.ts); the
  // bundle without them is the code these histories were recorded on, and a worker may run either.
  it.each([
    ['with the tracing interceptors in the bundle, as every worker runs it', WORKFLOW_INTERCEPTOR_MODULES],
    ['without them, as most histories were recorded', []],
  ])(
    'replay against the current workflow code without a determinism error, %s',
    async (_, workflowModules) => {
      const histories = files.map((file) => {
        const json = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as RecordedHistory;
        // The recorded ID where the history has it: a workflow derives child workflow IDs from its own.
        const recordedId = json.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
        return { workflowId: recordedId ?? file.replace(/\.json$/, ''), history: historyFromJSON(json) };
      });
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories(
        { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions, interceptors: { workflowModules } },
        histories,
      )) {
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      expect(failures).toEqual([]);
    },
    120_000,
  );
});

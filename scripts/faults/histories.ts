import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';

/**
 * Writes every workflow of the given campaigns to `folder`: its history as
 * `temporal workflow show --output json` prints it, and what describe answers
 * (pending activities, pending workflow task, open updates). For a failed run,
 * before the server is stopped: the post-mortem of a step that never answered.
 */
export async function dumpWorkflows(address: string, campaignIds: string[], folder: string): Promise<number> {
  mkdirSync(folder, { recursive: true });
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  let written = 0;
  try {
    const client = new Client({ connection });
    for (const campaignId of campaignIds) {
      const ids = new Set<string>([campaignId]);
      for await (const execution of client.workflow.list({ query: `CampaignId = "${campaignId}"` })) ids.add(execution.workflowId);
      for (const workflowId of ids) {
        const handle = client.workflow.getHandle(workflowId);
        const name = workflowId.replaceAll('/', '+');
        const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
        writeFileSync(join(folder, `${name}.history.json`), historyToJSON(proto.temporal.api.history.v1.History.create(history)));
        writeFileSync(join(folder, `${name}.describe.json`), JSON.stringify(proto.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.toObject(description.raw as proto.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse, { longs: String, enums: String }), null, 1));
        written += 1;
      }
    }
  } finally {
    await connection.close();
  }
  return written;
}

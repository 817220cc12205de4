import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

/**
 * Identities of the workers that polled the task queue's workflow tasks in the
 * last minute, as Temporal's matching service knows them (the SDK's default
 * identity is `<pid>@<hostname>`). The same check as the worker's healthcheck in
 * docker-compose.yml.
 */
export async function pollingWorkers(address: string, namespace: string, taskQueue: string): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const since = Date.now() / 1000 - 60;
    return (pollers ?? []).filter((poller) => Number(poller.lastAccessTime?.seconds ?? 0) >= since).map((poller) => String(poller.identity));
  } finally {
    await connection.close();
  }
}

import { proxyActivities, sleep } from '@temporalio/workflow';
import type { FloorMailActivities } from '../floor-mail';

/**
 * The raw floor of P3 (bench/reminder-storm.ts): a timer to a given instant,
 * then one activity that sends one e-mail. What a reminder needs at the least,
 * without the unit workflow's planning, the delivery child or the inbox.
 */
const { sendFloorMail } = proxyActivities<FloorMailActivities>({ startToCloseTimeout: '1 minute' });

export async function timerMailWorkflow(atMs: number, to: string): Promise<void> {
  await sleep(Math.max(0, atMs - Date.now()));
  await sendFloorMail(to);
}

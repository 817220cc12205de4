import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { activityMetricsInterceptor } from '../../observability/activity-metrics';
import { createRegistry, createWorkerMetrics } from '../../observability/metrics';

/**
 * The worker's counters see each projection and reminder attempt through the
 * activity interceptor, the way the worker runs its activities (the production
 * twin checks the same counters on a live worker).
 */
function setup(activityType: string) {
  const registry = createRegistry('worker');
  const metrics = createWorkerMetrics(registry, { campaignStages: async () => [], parkedChanges: async () => 0 });
  const env = new MockActivityEnvironment({ activityType }, { interceptors: [activityMetricsInterceptor(metrics)] });
  const value = async (name: string, outcome: string) =>
    (await registry.getSingleMetric(name)!.get()).values.find((sample) => sample.labels.outcome === outcome)?.value;
  return { env, value };
}

describe('activity metrics', () => {
  it('counts an applied projection, and a failed attempt as failed', async () => {
    const { env, value } = setup('project');
    await env.run(async () => undefined);
    await expect(env.run(async () => Promise.reject(new Error('database unavailable')))).rejects.toThrow('database unavailable');
    expect(await value('par_index_projections_total', 'applied')).toBe(1);
    expect(await value('par_index_projections_total', 'failed')).toBe(1);
    expect(await value('par_index_reminders_total', 'sent')).toBe(0);
  });

  it('counts a delivered reminder as sent and leaves other activities uncounted', async () => {
    const reminder = setup('deliverReminder');
    await reminder.env.run(async () => ({ sent: 2, other: 0 }));
    expect(await reminder.value('par_index_reminders_total', 'sent')).toBe(1);
    const other = setup('loadReminderPolicy');
    await other.env.run(async () => ({}));
    expect(await other.value('par_index_reminders_total', 'sent')).toBe(0);
    expect(await other.value('par_index_projections_total', 'applied')).toBe(0);
  });
});

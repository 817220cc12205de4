import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import type { WorkerMetrics } from './metrics';

const PROJECTIONS = new Set(['project', 'projectAll']);
const REMINDERS = new Set(['deliverReminder']);

/**
 * Counts the outcome of the activities the operators watch, from outside the
 * activities themselves: projections into the read model and reminder deliveries.
 * Local activities pass through the same interceptor.
 */
export function activityMetricsInterceptor(metrics: Pick<WorkerMetrics, 'projections' | 'reminders'>) {
  return (context: Context): { inbound: ActivityInboundCallsInterceptor } => {
    const type = context.info.activityType;
    const counter = PROJECTIONS.has(type) ? { metric: metrics.projections, ok: 'applied' } : REMINDERS.has(type) ? { metric: metrics.reminders, ok: 'sent' } : undefined;
    return {
      inbound: {
        async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
          if (!counter) return next(input);
          try {
            const result = await next(input);
            counter.metric.inc({ outcome: counter.ok });
            return result;
          } catch (error) {
            counter.metric.inc({ outcome: 'failed' });
            throw error;
          }
        },
      },
    };
  };
}

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The project's Prometheus metrics (prom-client), one registry per process,
 * served on a listener of their own (observability/server.ts), never on the
 * public API port. Names follow Prometheus conventions: `par_index_` prefix,
 * base units, `_total` for counters.
 */

export function createRegistry(processName: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  // The Node process's own: CPU, resident memory, heap, event-loop lag, GC.
  collectDefaultMetrics({ register: registry, prefix: 'par_index_' });
  // Gauges that prom-client names with a `_total` suffix, which Prometheus reserves for
  // counters (promtool check metrics rejects them); heap and event-loop metrics remain.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(`par_index_${name}`);
  return registry;
}

/** Request latency by method, route pattern (never the raw URL: IDs would explode the series) and status. */
export function createApiMetrics(registry: Registry) {
  const requests = new Histogram({
    name: 'par_index_http_request_duration_seconds',
    help: 'HTTP requests served by the API, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    /** Adds an onResponse hook to the app: every request, whatever its route or outcome. */
    instrument(app: FastifyInstance) {
      app.addHook('onResponse', async (request, reply) => {
        requests.observe(
          { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
          reply.elapsedTime / 1000,
        );
      });
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

export interface WorkerMetricsDeps {
  /** Campaigns per stage from the read model, read at each scrape. */
  campaignStages: () => Promise<{ stage: string; count: number }[]>;
  /** Changes the read model refused and holds for an operator's retry, read at each scrape. */
  parkedChanges: () => Promise<number>;
}

export function createWorkerMetrics(registry: Registry, deps: WorkerMetricsDeps) {
  const projections = new Counter({
    name: 'par_index_projections_total',
    help: 'Read-model projection activities (project, projectAll) by outcome: applied or failed (a failed attempt is retried by Temporal)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reminders = new Counter({
    name: 'par_index_reminders_total',
    help: 'Reminder deliveries (deliverReminder activity attempts) by outcome: sent or failed (a failed attempt is retried by Temporal)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'par_index_campaigns',
    help: 'Campaigns in the read model by stage',
    labelNames: ['stage'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { stage, count } of await deps.campaignStages()) this.set({ stage }, count);
    },
  });
  new Gauge({
    name: 'par_index_parked_changes',
    help: 'Workflow changes the read model refused for good, parked until an operator retries them after a fix',
    registers: [registry],
    async collect() {
      this.set(await deps.parkedChanges());
    },
  });
  for (const outcome of ['applied', 'failed']) projections.inc({ outcome }, 0);
  for (const outcome of ['sent', 'failed']) reminders.inc({ outcome }, 0);
  return { projections, reminders };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/**
 * The Temporal SDK core's Prometheus text, fetched from its own exporter at
 * each scrape so that one target carries all of a worker's metrics. An
 * unreachable exporter yields a comment, not a failed scrape.
 */
export function sdkMetrics(url: string): () => Promise<string> {
  return async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.ok ? await response.text() : `# Temporal SDK metrics: HTTP ${response.status}\n`;
    } catch (error) {
      return `# Temporal SDK metrics unavailable: ${String(error).replace(/\n/g, ' ')}\n`;
    }
  };
}

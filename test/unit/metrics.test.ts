import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import type { AuthService } from '../../application/auth/service';
import type { CampaignService } from '../../application/services/campaigns';
import type { FrameworkService } from '../../application/services/frameworks';
import type { ResultsService } from '../../application/services/results';
import type { StepService } from '../../application/services/steps';
import { createApiMetrics, createRegistry, createWorkerMetrics } from '../../observability/metrics';
import { startOpsServer } from '../../observability/server';
import { TEST_API_SETTINGS, testTokens } from '../helpers/auth';

/**
 * The API's request histogram and /ready on the real app, and the exposition
 * text of both processes checked by Prometheus's own parser (`promtool check
 * metrics`, Debian package `prometheus`).
 */

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function apiWith(problems: string[]) {
  const registry = createRegistry('api');
  app = await buildApp({
    logger: false,
    services: { campaigns: {} as CampaignService, steps: {} as StepService, frameworks: {} as FrameworkService, results: {} as ResultsService, auth: {} as AuthService },
    security: { tokens: testTokens, sessions: { isRevoked: async () => false }, secureCookie: false, corsOrigins: TEST_API_SETTINGS.CORS_ORIGINS, rateLimitMax: TEST_API_SETTINGS.RATE_LIMIT_MAX },
    operations: { metrics: createApiMetrics(registry), readiness: async () => problems },
  });
  return { app, registry };
}

/** promtool's verdict on the text: its exit code and what it printed (lint problems included). */
function promtool(text: string) {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The value of the sample `name{…}` that has these labels (among others, in any order), read from the exposition text. */
function sample(text: string, name: string, labels: string): number | undefined {
  const wanted = labels.split(',');
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}
const requestCount = (text: string, labels: string) => sample(text, 'par_index_http_request_duration_seconds_count', labels);

describe('API metrics', () => {
  it('counts each request under its route pattern and status, and promtool accepts the output', async () => {
    const { app, registry } = await apiWith([]);
    expect(requestCount(await registry.metrics(), 'method="GET",route="/health"')).toBeUndefined();
    for (let i = 0; i < 2; i += 1) expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/campaigns/par-2019-hn/progress' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/no/such/page' })).statusCode).toBe(404);

    const text = await registry.metrics();
    expect(requestCount(text, 'method="GET",route="/health",status_code="200"')).toBe(2);
    // The pattern, not the URL: one series per route whatever the campaign.
    expect(requestCount(text, 'method="GET",route="/campaigns/:campaignId/progress",status_code="401"')).toBe(1);
    expect(requestCount(text, 'method="GET",route="unmatched",status_code="404"')).toBe(1);
    expect(text).toContain('par_index_process_resident_memory_bytes');
    expect(promtool(text)).toEqual({ status: 0, output: '' });
  });

  it('answers /ready 200 when every check passes and 503 naming the ones that fail', async () => {
    const ready = await apiWith([]);
    expect((await ready.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready', problems: [] });
    await ready.app.close();
    const notReady = await apiWith(['temporal: no answer within 3000 ms']);
    const response = await notReady.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'not_ready', problems: ['temporal'] });
  });
});

describe('the operators listener', () => {
  it('serves the worker metrics, with the campaign stage gauge read at scrape time, in a form promtool accepts', async () => {
    const registry = createRegistry('worker');
    let stages = [{ stage: 'self_assessment', count: 2 }];
    let parked = 0;
    const metrics = createWorkerMetrics(registry, { campaignStages: async () => stages, parkedChanges: async () => parked });
    metrics.projections.inc({ outcome: 'applied' }, 3);
    const server = await startOpsServer({ host: '127.0.0.1', port: 0, registry, readiness: async () => ['worker: state STOPPING'], extraMetrics: async () => '# HELP temporal_extra_total x\n# TYPE temporal_extra_total counter\ntemporal_extra_total 1\n' });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const first = await (await fetch(`${base}/metrics`)).text();
      expect(sample(first, 'par_index_projections_total', 'outcome="applied",process="worker"')).toBe(3);
      expect(sample(first, 'par_index_campaigns', 'stage="self_assessment",process="worker"')).toBe(2);
      expect(sample(first, 'par_index_parked_changes', 'process="worker"')).toBe(0);
      expect(first).toContain('temporal_extra_total 1');
      expect(promtool(first)).toEqual({ status: 0, output: '' });
      stages = [{ stage: 'published', count: 2 }];
      parked = 1;
      const second = await (await fetch(`${base}/metrics`)).text();
      expect(sample(second, 'par_index_campaigns', 'stage="published"')).toBe(2);
      expect(second).not.toContain('stage="self_assessment"');
      expect(sample(second, 'par_index_parked_changes', 'process="worker"')).toBe(1);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', problems: ['worker: state STOPPING'] });
    } finally {
      server.close();
    }
  });
});

describe('request logs', () => {
  it('carry the campaign, the unit and the workflow the request addresses', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    app = await buildApp({
      logger,
      services: { campaigns: {} as CampaignService, steps: {} as StepService, frameworks: {} as FrameworkService, results: {} as ResultsService, auth: {} as AuthService },
      security: { tokens: testTokens, sessions: { isRevoked: async () => false }, secureCookie: false, corsOrigins: TEST_API_SETTINGS.CORS_ORIGINS, rateLimitMax: TEST_API_SETTINGS.RATE_LIMIT_MAX },
    });
    await app.inject({ method: 'GET', url: '/campaigns/par-2019-hn/units/STP/progress' });
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ campaignId: 'par-2019-hn', unitCode: 'STP', workflowId: 'par-2019-hn/unit-STP' });
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../runtime/free-port';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { bearer, TEST_API_SETTINGS } from '../helpers/auth';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { farTimeline } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { uniqueSlug } from './helpers/stack';
import { eventually } from './helpers/wait';
import { killWorkerProcesses, spawnWorker, type WorkerProcess } from './helpers/worker-process';

/**
 * OpenTelemetry traces from the real processes (server/main.ts, worker/main.ts) to
 * an OTLP/HTTP receiver in this test: one HTTP step request is one trace, from
 * the Fastify route through the Temporal client, the workflow's update handler
 * and the activity it schedules, down to the activity's Postgres statements.
 * Each run stops its processes with SIGTERM, which flushes what they buffered,
 * before anything is counted: what the receiver holds then is all they sent.
 */

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  service: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: { key: string; value: OtlpValue }[] }[] }[];
  }[];
}

const plain = (attributes: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue]));

/** A tiny OTLP/HTTP receiver: POST /v1/traces with the JSON encoding, as @opentelemetry/exporter-trace-otlp-http sends. */
function startReceiver(): Promise<{ server: Server; url: string; requests: string[]; spans: ReceivedSpan[] }> {
  const requests: string[] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(plain(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, attributes: plain(span.attributes), service });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, spans })),
  );
}

const scratch = mkdtempSync(join(tmpdir(), 'par-tracing-'));
const bundlePath = join(scratch, 'workflows.js');
let database: TestDatabase;
let connection: Connection;
const campaigns: string[] = [];
beforeAll(async () => {
  writeFileSync(bundlePath, inject('workflowBundleCode'));
  database = await createTestDatabase();
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await killWorkerProcesses();
  const client = new Client({ connection });
  await Promise.all(campaigns.map((id) => client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
  await connection?.close();
  await database?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

const ADMIN = await bearer({ id: 'snv-admin', role: 'admin', unitCode: 'SNV' });
const VP_CONTRIBUTOR = await bearer({ id: 'vp-staff', role: 'contributor', unitCode: 'VP' });
const DOC = { name: 'huong-dan.pdf', ref: 'file-guidance' };

interface Processes {
  api: WorkerProcess;
  worker: WorkerProcess;
  baseUrl: string;
}

/** The API and a worker as the image runs them, on a task queue of their own. */
async function startProcesses(env: Record<string, string>): Promise<Processes> {
  const port = await freePort();
  const common = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(6).toString('hex')}`,
    JWT_SECRET: TEST_API_SETTINGS.JWT_SECRET,
    NODE_ENV: 'test',
    ...env,
  };
  const worker = spawnWorker({ ...common, WORKFLOW_BUNDLE_PATH: bundlePath });
  const api = spawnWorker({ ...common, API_HOST: '127.0.0.1', API_PORT: String(port) }, 'server/main.ts');
  const baseUrl = `http://127.0.0.1:${port}`;
  // Two loaded cores may take a while to start two processes under tsx; an API that died says why.
  let exit: number | null | undefined;
  void api.exited.then((code) => (exit = code));
  await eventually(
    async () => {
      if (exit !== undefined) throw new Error(`the API exited (${exit}):\n${api.output().slice(-2000)}`);
      return (await fetch(`${baseUrl}/health`).catch(() => undefined))?.ok;
    },
    180_000,
    `the API at ${baseUrl}`,
  );
  return { api, worker, baseUrl };
}

/** Creates a small campaign, then sends one step (a contributor's guidance): the request whose trace is followed. */
async function oneStep({ baseUrl }: Processes): Promise<string> {
  const slug = uniqueSlug();
  const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2, timeline: farTimeline() });
  const post = (url: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${baseUrl}${url}`, { method: 'POST', body: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } });
  const created = await post('/campaigns', definition, ADMIN);
  expect(created.status, await created.clone().text()).toBe(201);
  const campaignId = `par-2019-${slug}`;
  campaigns.push(campaignId);
  const step = await post(`/campaigns/${campaignId}/guidance`, { contributor: 'VP', areas: ['3'], document: DOC }, VP_CONTRIBUTOR);
  expect(step.status, await step.clone().text()).toBe(200);
  return campaignId;
}

async function stop({ api, worker }: Processes) {
  expect(await api.stop()).toBe(0);
  expect(await worker.stop()).toBe(0);
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver?.server.close());

describe('OpenTelemetry traces', () => {
  it('follow one step request from the HTTP route through the Temporal client, the workflow and its activity to Postgres, in one trace', async () => {
    receiver.spans.length = 0;
    const processes = await startProcesses({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const campaignId = await oneStep(processes);
    await stop(processes);
    // A history whose start and update carry the trace header, for the replay test to switch tracing on in.
    await recordHistories({ 'campaign-traced-guidance': new Client({ connection }).workflow.getHandle(campaignId) });

    const { spans } = receiver;
    const route = spans.find((span) => span.name === 'POST /campaigns/:campaignId/guidance' && span.service === 'par-index-api');
    expect(route, spans.map((span) => `${span.service} ${span.name}`).join('\n')).toBeDefined();
    const trace = spans.filter((span) => span.traceId === route!.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const ancestors = (span: ReceivedSpan): string[] => {
      const names: string[] = [];
      for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) names.push(parent.name);
      return names;
    };
    const named = (prefix: string) => trace.filter((span) => span.name.startsWith(prefix));
    expect(route!.parentSpanId).toBeUndefined();
    expect(route!.attributes['http.route']).toBe('/campaigns/:campaignId/guidance');
    const described = [
      ...trace.map((span) => `${span.service} ${span.name} <- ${ancestors(span).join(' <- ')}`),
      'outside the trace:',
      ...spans.filter((span) => span.traceId !== route!.traceId).map((span) => `${span.service} ${span.name} ${span.traceId} ${span.parentSpanId ?? ''}`),
    ].join('\n');

    const clientUpdate = named('StartWorkflowUpdate:submitGuidance');
    expect(clientUpdate, described).toHaveLength(1);
    expect(clientUpdate[0]!.service).toBe('par-index-api');
    const handler = named('HandleUpdate:submitGuidance');
    expect(handler, described).toHaveLength(1);
    expect(handler[0]!.service).toBe('par-index-worker');
    expect(ancestors(handler[0]!)).toContain(clientUpdate[0]!.name);

    const activities = named('RunActivity:');
    expect(activities.length, described).toBeGreaterThan(0);
    expect(activities.every((span) => span.service === 'par-index-worker' && ancestors(span).includes(handler[0]!.name)), described).toBe(true);
    const activityQueries = trace.filter((span) => span.attributes['db.system'] === 'postgresql' && ancestors(span).some((name) => name.startsWith('RunActivity:')));
    expect(activityQueries.length, described).toBeGreaterThan(0);
    expect(activityQueries.every((span) => span.service === 'par-index-worker' && typeof span.attributes['db.query.text'] === 'string')).toBe(true);
    // Every span of the trace hangs from the route's span: nothing started a trace of its own.
    expect(trace.filter((span) => span !== route && !ancestors(span).includes(route!.name)).map((span) => span.name)).toEqual([]);
    expect(receiver.requests.every((request) => request.startsWith('POST /v1/traces application/json'))).toBe(true);
  });

  it('send nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset, even with the SDK-only variables pointing at a receiver', async () => {
    receiver.requests.length = 0;
    // What an OpenTelemetry SDK loaded behind our back would read by itself.
    const processes = await startProcesses({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` });
    await oneStep(processes);
    await stop(processes);
    expect(receiver.requests).toEqual([]);
  });
});

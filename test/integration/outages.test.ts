import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApi } from '../../server/compose';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { bearerAs, TEST_API_SETTINGS } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * What a client gets while a part of the system is away: a 503 with a
 * Retry-After and a sentence in both languages, never a hang or a 500; for a
 * step, the Idempotency-Key that makes its retry the same step.
 */

const DOC = { name: 'huong-dan.pdf', ref: 'file-guidance' };
/** The bound of this file's API on every call to Temporal: short, so a test with the worker stopped stays short. */
const CALL_TIMEOUT_MS = 1_500;
/** A port where nothing listens: connections to it are refused at once. */
const CLOSED = '127.0.0.1:1';

let stack: TestStack;
let campaign: DrivenCampaign;
const VP = bearerAs('contributor', 'VP', 'vp.huongdan');

beforeAll(async () => {
  stack = await startStack({ apiSettings: { TEMPORAL_CALL_TIMEOUT_MS: CALL_TIMEOUT_MS } });
  campaign = await createCampaignDriver(stack.app).createCampaign();
});
afterAll(async () => {
  await stack?.stop();
});

async function guidanceEvents(): Promise<number> {
  const events = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/events`, headers: SNV_ADMIN });
  return (events.json() as { action: string }[]).filter((event) => event.action === 'guidance_submitted').length;
}

describe('a step while the worker is stopped', () => {
  it('answers 503 update_pending naming a key, and the retry with that key once the worker is back applies the step once', async () => {
    await stack.stopWorker();
    const request = {
      method: 'POST' as const,
      url: `/campaigns/${campaign.campaignId}/guidance`,
      payload: { contributor: 'VP', areas: ['3'], document: DOC, summary: 'Hướng dẫn lĩnh vực 3' },
    };
    // No key sent: the API makes one up and names it.
    const pending = await stack.app.inject({ ...request, headers: await VP });
    expect(pending.statusCode, pending.body).toBe(503);
    const body = pending.json();
    expect(body).toMatchObject({ error: 'update_pending' });
    expect(body.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(pending.headers['idempotency-key']).toBe(body.idempotency_key);
    expect(pending.headers['retry-after']).toBe('3');
    expect(body.message_vi).toContain(body.idempotency_key);
    expect(body.message_en).toContain('Idempotency-Key');

    await stack.restartWorker();
    const headers = { ...(await VP), 'idempotency-key': body.idempotency_key as string };
    // As a client following Retry-After would: the restarted worker takes over the workflow's task once the
    // server gives up on the stopped one's sticky queue, so the first retries may still be pending.
    const retried = await eventually(async () => {
      const response = await stack.app.inject({ ...request, headers });
      if (response.statusCode !== 503) return response;
      expect(response.json()).toMatchObject({ error: 'update_pending', idempotency_key: body.idempotency_key });
      return undefined;
    }, 90_000, 'the step to be answered once the worker is back');
    expect(retried.statusCode, retried.body).toBe(200);
    const again = await stack.app.inject({ ...request, headers });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(retried.json());
    expect(await guidanceEvents()).toBe(1);
  });
});

describe('a campaign started while the worker is stopped', () => {
  it('answers 503 campaign_pending naming a key; the retry with that key answers 201 as the original would have, once', async () => {
    const slug = uniqueSlug('pending');
    const campaignId = `par-2019-${slug}`;
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 1 });
    const key = `start-${slug}`;
    const send = (payload: object, headers: Record<string, string>) => stack.app.inject({ method: 'POST', url: '/campaigns', headers, payload });
    await stack.stopWorker();
    const pending = await send(definition, { ...SNV_ADMIN, 'idempotency-key': key });
    expect(pending.statusCode, pending.body).toBe(503);
    expect(pending.json()).toMatchObject({ error: 'campaign_pending', idempotency_key: key });
    expect(pending.headers['retry-after']).toBe('3');
    expect(pending.json().message_vi).toContain(key);

    // The same key with another definition, or the same definition without the key, is another request.
    const other = await send({ ...definition, name_vi: 'Một đợt khác' }, { ...SNV_ADMIN, 'idempotency-key': key });
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json()).toMatchObject({ error: 'campaign_exists' });
    const keyless = await send(definition, SNV_ADMIN);
    expect(keyless.statusCode, keyless.body).toBe(409);
    expect(keyless.json()).toMatchObject({ error: 'campaign_exists' });

    await stack.restartWorker();
    const created = await eventually(async () => {
      const response = await send(definition, { ...SNV_ADMIN, 'idempotency-key': key });
      if (response.statusCode !== 503) return response;
      expect(response.json()).toMatchObject({ error: 'campaign_pending', idempotency_key: key });
      return undefined;
    }, 90_000, 'the campaign start to be answered once the worker is back');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/campaigns/${campaignId}`);
    const again = await send(definition, { ...SNV_ADMIN, 'idempotency-key': key });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(created.json());

    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${campaignId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    const events = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/events`, headers: SNV_ADMIN });
    expect((events.json() as { action: string }[]).filter((event) => event.action === 'campaign_started')).toHaveLength(1);

    // The same request once the campaign has closed: an update can no longer reach it, the answer is the campaign as it stands.
    await stack.client.workflow.getHandle(campaignId).terminate('the test closes the campaign');
    const afterClose = await send(definition, { ...SNV_ADMIN, 'idempotency-key': key });
    expect(afterClose.statusCode, afterClose.body).toBe(201);
    expect(afterClose.json()).toMatchObject({ campaign_id: campaignId, stage: created.json().stage });
  });
});

describe('Postgres unreachable', () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = openDatabase({ url: `postgres://postgres@${CLOSED}/par_index_nowhere`, dataDir: 'unused' });
    app = await composeApi({ db: database.db, temporal: stack.client, taskQueue: stack.taskQueue, logger: false, settings: TEST_API_SETTINGS });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers a read and a write 503 database_unavailable with Retry-After, in Vietnamese and English', async () => {
    const read = await app.inject({ method: 'GET', url: '/campaigns', headers: SNV_ADMIN });
    const write = await app.inject({
      method: 'POST',
      url: '/units/QUAN_BA_DINH/contacts',
      headers: SNV_ADMIN,
      payload: { name: 'Nguyễn Văn A', role: 'head', email: 'a@example.vn' },
    });
    for (const response of [read, write]) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({
        error: 'database_unavailable',
        message_vi: 'Cơ sở dữ liệu tạm thời không phản hồi; vui lòng thử lại sau ít giây',
        message_en: 'The database is temporarily unavailable; retry in a few seconds',
      });
    }
  });

  it('answers a dashboard page 503 with Retry-After and the reason in Vietnamese', async () => {
    const page = await app.inject({ method: 'GET', url: '/dashboard', headers: SNV_ADMIN });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('5');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Cơ sở dữ liệu tạm thời không phản hồi; vui lòng thử lại sau ít giây');
  });
});

describe('Temporal unreachable', () => {
  let connection: Connection;
  let app: FastifyInstance;
  beforeAll(async () => {
    connection = Connection.lazy({ address: CLOSED });
    app = await composeApi({
      db: stack.database.db,
      temporal: new Client({ connection }),
      taskQueue: stack.taskQueue,
      logger: false,
      settings: { ...TEST_API_SETTINGS, TEMPORAL_CALL_TIMEOUT_MS: CALL_TIMEOUT_MS },
    });
  });
  afterAll(async () => {
    await app?.close();
    await connection?.close();
  });

  it('answers a query and a step 503 with Retry-After instead of hanging', async () => {
    const query = await app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/units/QUAN_BA_DINH/progress`, headers: SNV_ADMIN });
    const step = await app.inject({
      method: 'POST',
      url: `/campaigns/${campaign.campaignId}/guidance`,
      headers: await VP,
      payload: { contributor: 'VP', areas: ['3'], document: DOC },
    });
    for (const response of [query, step]) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(['workflow_service_unavailable', 'update_pending']).toContain(response.json().error);
    }
  });
});

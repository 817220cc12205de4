import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignIdKey, StageKey } from '../../contracts/search-attributes';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { bearerAs, SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('creating a campaign through the API', () => {
  it('starts the campaign workflow, records it in Postgres and answers from both', async () => {
    const slug = uniqueSlug();
    const definition = hanoi2019Campaign({ slug });
    const campaignId = `par-2019-${slug}`;

    const created = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(`/campaigns/${campaignId}`);
    expect(created.json()).toMatchObject({ campaign_id: campaignId, stage: 'guidance', unit_count: 52, recorded: true });

    // The GET reads the read model, not the workflow.
    const read = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}`, headers: SNV_ADMIN });
    expect(read.statusCode).toBe(200);
    const campaign = read.json();
    expect(campaign).toMatchObject({ id: campaignId, year: 2019, stage: 'guidance', stage_label_vi: 'Hướng dẫn chấm điểm', unit_count: 52 });
    expect(Object.fromEntries(campaign.groups.map((g: { code: string; unit_count: number }) => [g.code, g.unit_count]))).toEqual({
      department: 22,
      district: 30,
    });
    expect(campaign.timeline.guidance_due).toBe('2019-11-30');

    const progress = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/progress`, headers: SNV_ADMIN });
    expect(progress.json()).toMatchObject({ campaign_id: campaignId, stage: 'guidance', recorded: true });

    const events = (await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/events`, headers: SNV_ADMIN })).json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'campaign_started', actor: 'admin:SNV/snv-admin', after: { stage: 'guidance' } });

    const description = await stack.client.workflow.getHandle(campaignId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(CampaignIdKey)).toBe(campaignId);
    expect(description.typedSearchAttributes.get(StageKey)).toBe('guidance');
  });

  it('refuses to create the same campaign twice with 409 and keeps a single workflow', async () => {
    const slug = uniqueSlug();
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2 });
    const campaignId = `par-2019-${slug}`;
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);

    const again = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: { ...definition, name_vi: 'Bản sao' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'campaign_exists' });
    expect(again.json().message_vi).toContain(campaignId);
    expect(again.json().request_id).toBe(again.headers['x-request-id']);

    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${campaignId}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    const read = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}`, headers: SNV_ADMIN });
    expect(read.json().name_vi).toBe(definition.name_vi);
  });

  it('rejects bad input with 400 naming every wrong field in Vietnamese and English, and starts nothing', async () => {
    const slug = uniqueSlug();
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2 });
    const broken = {
      ...definition,
      name_vi: '',
      units: [...definition.units, { code: 'XYZ', name_vi: 'Đơn vị lạ', group: 'commune' }, { ...definition.units[0] }],
      timeline: { ...definition.timeline, explanations_due: '2019-02-30', council_due: '2019-01-01' },
    };
    const response = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: broken });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe('validation_failed');
    const byPath = new Map(body.issues.map((i: { path: unknown[]; message_vi: string; message_en: string }) => [i.path.join('.'), i]));
    expect([...byPath.keys()]).toEqual(
      expect.arrayContaining(['body.name_vi', 'body.units.4.group', 'body.units.5.code', 'body.timeline.explanations_due']),
    );
    for (const found of body.issues) {
      expect(found.message_vi.length).toBeGreaterThan(0);
      expect(found.message_en.length).toBeGreaterThan(0);
    }
    expect((byPath.get('body.units.4.group') as { message_vi: string }).message_vi).toContain('commune');

    const read = await stack.app.inject({ method: 'GET', url: `/campaigns/par-2019-${slug}`, headers: SNV_ADMIN });
    expect(read.statusCode).toBe(404);
    await expect(stack.client.workflow.getHandle(`par-2019-${slug}`).describe()).rejects.toThrow(/not found/i);
  });

  it('lets only Sở Nội vụ create a campaign: 401 without a caller, 403 for another role', async () => {
    const definition = hanoi2019Campaign({ slug: uniqueSlug(), unitsPerGroup: 1 });
    const anonymous = await stack.app.inject({ method: 'POST', url: '/campaigns', payload: definition });
    expect(anonymous.statusCode).toBe(401);
    const unit = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: await bearerAs('unit', 'STP'), payload: definition });
    expect(unit.statusCode).toBe(403);
    expect(unit.json().message_vi).toContain('Sở Nội vụ');
  });

  it('answers 404 in both languages for a campaign that does not exist', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/campaigns/par-2019-nowhere', headers: SNV_ADMIN });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'campaign_not_found' });
    expect(response.json().message_vi).toContain('Không tìm thấy');
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/campaigns', '/campaigns/{campaignId}']));
  });
});

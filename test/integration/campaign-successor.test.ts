import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timeline } from '../../domain/campaign';
import { campaigns } from '../../db/schema';
import sample from '../../seed/framework-2019-sample.json';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../seed/hanoi-2019';
import { farTimeline } from './helpers/deadlines';
import { bearerAs, SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';

/**
 * Next year's campaign from this year's (POST /campaigns/:id/successor): the
 * same units, contributors and settings, a new name, timeline and framework,
 * started as a campaign workflow of its own.
 */

let stack: TestStack;
let sourceId: string;
let slug: string;

beforeAll(async () => {
  stack = await startStack();
  slug = uniqueSlug('nam');
  sourceId = `par-2019-${slug}`;
  const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2, timeline: farTimeline() });
  expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
});

/** The 2019 timeline one year later, with real-day spacing from now. */
const nextTimeline = (): Timeline => shiftTimeline(HANOI_2019_TIMELINE, Date.now() + 86_400_000, 86_400_000);

function successor(body: object, headers: Record<string, string> = SNV_ADMIN) {
  return stack.app.inject({ method: 'POST', url: `/campaigns/${sourceId}/successor`, headers, payload: body });
}

async function campaign(id: string) {
  const response = await stack.app.inject({ method: 'GET', url: `/campaigns/${id}`, headers: SNV_ADMIN });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string; year: number; name_vi: string; stage: string; unit_count: number; timeline: Timeline; groups: { code: string; unit_count: number }[]; previous_campaign_id: string | null };
}

describe('next year’s campaign from this one', () => {
  it('keeps the units and groups, takes the new name and timeline, and starts in the guidance stage', async () => {
    const timeline = nextTimeline();
    const created = await successor({ year: 2020, slug, name_vi: 'Chỉ số CCHC năm 2020 — Hà Nội', timeline });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/campaigns/par-2020-${slug}`);

    const [before, after] = await Promise.all([campaign(sourceId), campaign(`par-2020-${slug}`)]);
    expect(after).toMatchObject({ year: 2020, name_vi: 'Chỉ số CCHC năm 2020 — Hà Nội', stage: 'guidance', unit_count: before.unit_count, timeline });
    // Its results are compared with the source's once both are ranked (test/integration/results-year-change.test.ts).
    expect(after.previous_campaign_id).toBe(sourceId);
    expect(before.previous_campaign_id).toBeNull();
    expect(after.groups).toEqual(before.groups);

    // The same year and slug again is the same campaign: refused, nothing started twice.
    const again = await successor({ year: 2020, slug, name_vi: 'Lần hai', timeline });
    expect(again.statusCode).toBe(409);
    expect(again.json().message_vi).toContain('đã được tạo');
  });

  it('takes a framework from the library when one is named, and refuses an unknown one', async () => {
    const code = `LIB-${slug}`.toUpperCase();
    expect((await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: { ...structuredClone(sample), code } })).statusCode).toBe(201);
    const created = await successor({ year: 2021, slug, name_vi: 'Chỉ số CCHC năm 2021', timeline: nextTimeline(), framework: { code } });
    expect(created.statusCode, created.body).toBe(201);
    const frameworkCodes = await stack.database.db
      .select({ id: campaigns.id, code: sql<string>`${campaigns.definition}->'framework'->>'code'` })
      .from(campaigns)
      .where(inArray(campaigns.id, [sourceId, `par-2021-${slug}`]));
    expect(Object.fromEntries(frameworkCodes.map((row) => [row.id, row.code]))).toEqual({ [sourceId]: sample.code, [`par-2021-${slug}`]: code });

    const unknown = await successor({ year: 2022, slug, name_vi: 'x', timeline: nextTimeline(), framework: { code: 'KHONG-CO' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message_vi).toContain('Không có bộ tiêu chí KHONG-CO');
  });

  it('refuses a timeline out of order with each wrong date named in both languages, and starts nothing', async () => {
    const timeline = { ...nextTimeline() };
    timeline.self_assessment_due = timeline.guidance_due.replace(/^\d{4}/, (year) => String(Number(year) - 1));
    const refused = await successor({ year: 2023, slug, name_vi: 'Chỉ số CCHC năm 2023', timeline });
    expect(refused.statusCode).toBe(400);
    const body = refused.json() as { message_vi: string; issues: { path: string[]; message_vi: string; message_en: string }[] };
    expect(body.message_vi).toBe('Đợt đánh giá mới chưa hợp lệ');
    expect(body.issues.map((issue) => issue.path.join('.'))).toContain('timeline.self_assessment_due');
    expect((await stack.app.inject({ method: 'GET', url: `/campaigns/par-2023-${slug}`, headers: SNV_ADMIN })).statusCode).toBe(404);
  });

  it('is Sở Nội vụ’s alone', async () => {
    for (const role of ['coordinator', 'contributor', 'unit', 'council'] as const) {
      const refused = await successor({ year: 2024, slug, name_vi: 'x', timeline: nextTimeline() }, await bearerAs(role, role === 'unit' ? 'SNV' : undefined));
      expect(refused.statusCode).toBe(403);
    }
  });
});

/**
 * A campaign from a framework of the library and a list of units (POST
 * /campaigns/from-library): a province's first campaign, or a year whose
 * units changed.
 */
describe('a campaign from the framework library and a list of units', () => {
  const code = () => `FIRST-${slug}`.toUpperCase();
  const units = [
    { code: 'SO_NOI_VU', name_vi: 'Sở Nội vụ', group: 'department' },
    { code: 'SO_TU_PHAP', name_vi: 'Sở Tư pháp', group: 'department' },
    { code: 'HUYEN_MOI', name_vi: 'UBND huyện Mới', group: 'district' },
  ];
  const fromLibrary = (body: object, headers: Record<string, string> = SNV_ADMIN) =>
    stack.app.inject({ method: 'POST', url: '/campaigns/from-library', headers, payload: body });

  beforeAll(async () => {
    expect((await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: { ...structuredClone(sample), code: code() } })).statusCode).toBe(201);
  });

  it('starts a campaign of exactly the units given, on the latest version of the framework named', async () => {
    const id = `par-2030-${slug}`;
    const created = await fromLibrary({
      year: 2030,
      slug,
      name_vi: 'Chỉ số CCHC năm 2030 — tỉnh mới',
      framework: { code: code() },
      units,
      contributors: [{ unit: 'SO_NOI_VU', areas_owned: ['1', '4'] }],
      timeline: nextTimeline(),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/campaigns/${id}`);
    const after = await campaign(id);
    expect(after).toMatchObject({ year: 2030, stage: 'guidance', unit_count: 3 });
    expect(Object.fromEntries(after.groups.map((group) => [group.code, group.unit_count]))).toEqual({ department: 2, district: 1 });
    const [stored] = await stack.database.db
      .select({ framework: sql<string>`${campaigns.definition}->'framework'->>'code'`, contributors: sql<unknown>`${campaigns.definition}->'contributors'` })
      .from(campaigns)
      .where(inArray(campaigns.id, [id]));
    expect(stored).toEqual({ framework: code(), contributors: [{ unit: 'SO_NOI_VU', areas_owned: ['1', '4'] }] });
  });

  it('names the unit whose group the framework lacks, and the framework the library lacks, and starts nothing', async () => {
    const body = { year: 2031, slug, name_vi: 'x', framework: { code: code() }, timeline: nextTimeline() };
    const wrongGroup = await fromLibrary({ ...body, units: [units[0], { ...units[2], group: 'commune' }] });
    expect(wrongGroup.statusCode).toBe(400);
    const issues = (wrongGroup.json() as { issues: { path: (string | number)[]; message_vi: string }[] }).issues;
    expect(issues).toEqual([expect.objectContaining({ path: ['units', 1, 'group'], message_vi: 'Nhóm commune không có trong bộ tiêu chí' })]);

    const badCode = await fromLibrary({ ...body, units: [{ ...units[0], code: 'sở nội vụ' }] });
    expect(badCode.statusCode).toBe(400);
    expect((badCode.json() as { issues: { path: (string | number)[] }[] }).issues.map((issue) => issue.path.join('.'))).toEqual(['body.units.0.code']);

    const unknown = await fromLibrary({ ...body, units, framework: { code: 'KHONG-CO', version: 3 } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message_vi).toBe('Không có bộ tiêu chí KHONG-CO v3 trong thư viện');
    expect((await stack.app.inject({ method: 'GET', url: `/campaigns/par-2031-${slug}`, headers: SNV_ADMIN })).statusCode).toBe(404);
  });

  it('is Sở Nội vụ’s alone', async () => {
    const refused = await fromLibrary({ year: 2032, slug, name_vi: 'x', framework: { code: code() }, units, timeline: nextTimeline() }, await bearerAs('coordinator'));
    expect(refused.statusCode).toBe(403);
  });
});

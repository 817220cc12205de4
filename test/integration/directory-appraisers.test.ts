import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDefinition } from '../../domain/campaign';
import { areaAppraisal, fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import framework from '../../seed/framework-2019-sample.json';
import { createCampaignDriver } from './helpers/campaign-driver';
import { farTimeline } from './helpers/deadlines';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * A commune-only campaign appraised by departments that are not assessed in it:
 * the departments are organisations of the directory, their staff log in with
 * accounts of those organisations, and every step from guidance to appraisal
 * is made by the account of the person whose job it is. The event log, in the
 * API and on the dashboard, names each of those people.
 */

type Headers = Record<string, string>;
const PASSWORD = 'Hồ Tây mùa sen nở 2026';
const DOC = { name: 'huong-dan-linh-vuc.pdf', ref: 'https://snv.hanoi.gov.vn/huong-dan' };

const ORGANISATIONS = [
  { code: 'SNV', name_vi: 'Sở Nội vụ', kind: 'home_affairs' },
  { code: 'SXD', name_vi: 'Sở Xây dựng', kind: 'department' },
  { code: 'STP', name_vi: 'Sở Tư pháp', kind: 'department' },
  { code: 'SYT', name_vi: 'Sở Y tế', kind: 'department' },
  { code: 'SKHCN', name_vi: 'Sở Khoa học và Công nghệ', kind: 'department' },
];
/** Who owns which of the commune group's seven areas. */
const OWNERS: Record<string, string[]> = { SXD: ['1', '2', '3'], STP: ['4', '5'], SYT: ['6', '7'] };
const PEOPLE = {
  admin: { username: 'snv.quantri', full_name: 'Nguyễn Thị Quản Trị', role: 'admin', organisation_code: 'SNV' },
  SXD: { username: 'sxd.thamdinh', full_name: 'Trần Văn Xây', role: 'contributor', organisation_code: 'SXD' },
  STP: { username: 'stp.thamdinh', full_name: 'Lê Thị Pháp', role: 'contributor', organisation_code: 'STP' },
  SYT: { username: 'syt.thamdinh', full_name: 'Phạm Văn Y', role: 'contributor', organisation_code: 'SYT' },
  PHUONG_HOAN_KIEM: { username: 'hoankiem.canbo', full_name: 'Đỗ Thu Hà', role: 'unit', unit_code: 'PHUONG_HOAN_KIEM' },
  XA_SOC_SON: { username: 'socson.canbo', full_name: 'Vũ Đức Sơn', role: 'unit', unit_code: 'XA_SOC_SON' },
} as const;
type Person = keyof typeof PEOPLE;

let stack: TestStack;
const tokens = new Map<Person, Headers>();

beforeAll(async () => {
  stack = await startStack();
  for (const organisation of ORGANISATIONS) {
    const made = await stack.app.inject({ method: 'POST', url: '/organisations', headers: SNV_ADMIN, payload: organisation });
    expect(made.statusCode, made.body).toBe(201);
  }
  // Each person gets a one-time password, logs in with it, and sets their own.
  for (const [key, person] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
    const made = await stack.app.inject({ method: 'POST', url: '/accounts', headers: SNV_ADMIN, payload: person });
    expect(made.statusCode, made.body).toBe(201);
    const oneTime = made.json().one_time_password as string;
    const first = await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username: person.username, password: oneTime } });
    expect(first.statusCode, first.body).toBe(200);
    const changed = await stack.app.inject({
      method: 'POST',
      url: '/auth/password',
      headers: { authorization: `Bearer ${first.json().token}` },
      payload: { current_password: oneTime, new_password: PASSWORD },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    tokens.set(key, { authorization: `Bearer ${changed.json().token}` });
  }
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const as = (person: Person) => tokens.get(person)!;
const post = (url: string, payload: unknown, headers: Headers) => stack.app.inject({ method: 'POST', url, payload: payload as object, headers });

function communeCampaign(slug: string, contributors: CampaignDefinition['contributors']) {
  return {
    year: 2026,
    slug,
    name_vi: 'Xác định Chỉ số cải cách hành chính năm 2026 của UBND các xã, phường',
    framework,
    units: [
      { code: 'PHUONG_HOAN_KIEM', name_vi: 'Phường Hoàn Kiếm', group: 'district' },
      { code: 'XA_SOC_SON', name_vi: 'Xã Sóc Sơn', group: 'district' },
    ],
    contributors,
    timeline: farTimeline(),
  };
}

const contributorsOf = (owners: Record<string, string[]>) => Object.entries(owners).map(([unit, areas_owned]) => ({ unit, areas_owned }));

describe('a commune-only campaign appraised by departments of the directory', () => {
  it('refuses a contributor that is neither an organisation of the directory (or a disabled one) nor a unit, naming the field, and starts nothing', async () => {
    const slug = uniqueSlug('dir');
    const unknown = await post('/campaigns', communeCampaign(slug, [...contributorsOf(OWNERS), { unit: 'SKH', areas_owned: ['1'] }]), as('admin'));
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().issues).toEqual([expect.objectContaining({ path: ['body', 'contributors', 3, 'unit'], code: 'unknown_contributor' })]);
    expect(unknown.json().message_vi).toContain('SKH');
    expect(unknown.json().message_en).toContain('SKH');

    expect((await stack.app.inject({ method: 'PATCH', url: '/organisations/SKHCN', headers: SNV_ADMIN, payload: { disabled: true } })).statusCode).toBe(200);
    const disabled = await post('/campaigns', communeCampaign(slug, [{ unit: 'SKHCN', areas_owned: ['1'] }]), as('admin'));
    expect(disabled.statusCode, disabled.body).toBe(400);
    expect(disabled.json().issues).toEqual([expect.objectContaining({ path: ['body', 'contributors', 0, 'unit'], code: 'unknown_contributor' })]);

    const campaigns = await stack.app.inject({ url: '/campaigns', headers: SNV_ADMIN });
    expect((campaigns.json() as { id: string }[]).map((campaign) => campaign.id)).not.toContain(`par-2026-${slug}`);
  });

  it('runs guidance, self-assessment and appraisal by the departments’ own accounts to publication, and the event log names each person', async () => {
    const slug = uniqueSlug('dir');
    const campaignId = `par-2026-${slug}`;
    const definition = communeCampaign(slug, contributorsOf(OWNERS));
    const created = await post('/campaigns', definition, as('admin'));
    expect(created.statusCode, created.body).toBe(201);

    // Guidance: each department for its own areas; not for another's.
    const foreign = await post(`/campaigns/${campaignId}/guidance`, { contributor: 'STP', areas: OWNERS.STP, document: DOC }, as('SXD'));
    expect(foreign.statusCode).toBe(403);
    for (const department of ['SXD', 'STP', 'SYT'] as const) {
      const sent = await post(
        `/campaigns/${campaignId}/guidance`,
        { contributor: department, areas: OWNERS[department], document: DOC, summary: `Hướng dẫn của ${department}` },
        as(department),
      );
      expect(sent.statusCode, sent.body).toBe(200);
    }
    expect((await post(`/campaigns/${campaignId}/guidance/publish`, { document: DOC, note: 'Hướng dẫn chấm điểm năm 2026' }, as('admin'))).statusCode).toBe(200);

    const group = (framework as unknown as CampaignDefinition['framework']).groups.district!;
    const base = (unit: string) => `/campaigns/${campaignId}/units/${unit}`;
    await eventually(async () => (await stack.app.inject({ url: `${base('XA_SOC_SON')}/progress`, headers: as('XA_SOC_SON') })).statusCode === 200, 60_000, 'the unit workflows');

    for (const unit of ['PHUONG_HOAN_KIEM', 'XA_SOC_SON'] as const) {
      const submitted = await post(`${base(unit)}/self-assessment`, { approved_by: 'Chủ tịch UBND', scores: scoresToWire(fullSelfAssessment(group)) }, as(unit));
      expect(submitted.statusCode, submitted.body).toBe(200);
    }
    // A department appraises its own areas of every commune, and no other area.
    const notOwned = await post(`${base('XA_SOC_SON')}/appraisals`, { round: 1, area_code: '4', scores: scoresToWire(areaAppraisal(group, '4')), explanation_requests: [] }, as('SXD'));
    expect(notOwned.statusCode, notOwned.body).toBe(403);
    for (const unit of ['PHUONG_HOAN_KIEM', 'XA_SOC_SON'] as const) {
      for (const [department, areas] of Object.entries(OWNERS) as [keyof typeof OWNERS & Person, string[]][]) {
        for (const area of areas) {
          const appraised = await post(`${base(unit)}/appraisals`, { round: 1, area_code: area, scores: scoresToWire(areaAppraisal(group, area)), explanation_requests: [] }, as(department));
          expect(appraised.statusCode, `${department} ${unit} ${area}: ${appraised.body}`).toBe(200);
        }
      }
    }
    for (const unit of ['PHUONG_HOAN_KIEM', 'XA_SOC_SON'] as const) {
      await eventually(async () => (await stack.app.inject({ url: `${base(unit)}/progress`, headers: as('admin') })).json().stage === 'appraised', 60_000, `${unit} appraised`);
    }

    // The survey, the council and publication, as the driver makes them.
    const driver = createCampaignDriver(stack.app);
    const driven = { campaignId, definition: definition as unknown as CampaignDefinition, unitCodes: definition.units.map((unit) => unit.code) };
    await driver.completeSurvey(driven);
    await driver.waitForStage(driven, 'council');
    await driver.approveAndPublish(driven);

    const events = (await stack.app.inject({ url: `/campaigns/${campaignId}/events`, headers: as('admin') })).json() as {
      unit_code: string | null;
      actor: string;
      actor_username: string | null;
      actor_name: string | null;
      action: string;
      after: { area_code?: string; contributor?: string } | null;
    }[];
    const by = (action: string) => events.filter((event) => event.action === action);
    expect(by('guidance_submitted').map((event) => [event.actor_username, event.actor_name])).toEqual([
      ['sxd.thamdinh', 'Trần Văn Xây'],
      ['stp.thamdinh', 'Lê Thị Pháp'],
      ['syt.thamdinh', 'Phạm Văn Y'],
    ]);
    expect(by('campaign_started').map((event) => event.actor_name)).toEqual(['Nguyễn Thị Quản Trị']);
    expect(by('guidance_published').map((event) => event.actor_name)).toEqual(['Nguyễn Thị Quản Trị']);
    const selfAssessments = by('self_assessment_submitted');
    expect(selfAssessments.map((event) => [event.unit_code, event.actor_name]).sort()).toEqual([
      ['PHUONG_HOAN_KIEM', 'Đỗ Thu Hà'],
      ['XA_SOC_SON', 'Vũ Đức Sơn'],
    ]);
    const appraisals = events.filter((event) => event.action.startsWith('area_appraised'));
    expect(appraisals).toHaveLength(14);
    for (const event of appraisals) {
      const owner = Object.entries(OWNERS).find(([, areas]) => areas.includes(event.after!.area_code!))![0] as keyof typeof OWNERS;
      expect([event.actor_username, event.actor_name]).toEqual([PEOPLE[owner as Person].username, PEOPLE[owner as Person].full_name]);
      expect(event.actor).toBe(`contributor:${owner}/${PEOPLE[owner as Person].username}`);
    }
    // What the workflows did on their own names nobody; a test token's actor has no account, so no name.
    expect(events.filter((event) => event.actor === 'system').every((event) => event.actor_name === null && event.actor_username === null)).toBe(true);

    // The dashboard's event log shows the person's name beside the role.
    const page = await stack.app.inject({ url: `/dashboard/campaigns/${campaignId}/events?unit=XA_SOC_SON`, headers: as('admin') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<span data-testid="event-person">Vũ Đức Sơn</span>');
    expect(page.body).toContain('<span data-testid="event-person">Trần Văn Xây</span>');
  }, 300_000);
});

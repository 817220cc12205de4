import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { hashPassword } from '../../application/auth/passwords';
import { registerAuth, type RouteEntry } from '../../http/auth/plugin';
import { createParkedChangeRepository } from '../../db/repositories/read-model-parking';
import { createUserRepository } from '../../db/repositories/users';
import { eq } from 'drizzle-orm';
import { campaignEvents } from '../../db/schema';
import { notifications } from '../../db/schema-notifications';
import type { Actor, Role } from '../../domain/actors';
import { opensWithoutLogin, PERMISSIONS, type PermissionRule } from '../../domain/permissions';
import { toVietnamIso } from '../../domain/deadlines';
import { areaAppraisal as domainAreaAppraisal, fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import sample from '../../seed/framework-2019-sample.json';
import { bearer, testTokens } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';
import { writeOnboardingWorkbook } from '../../formats/onboarding-workbook';
import { multipart, XLSX_TYPE } from '../helpers/multipart';

/**
 * Every route the app serves × every role (and no login), with the expectation
 * derived from the declared rules alone: the route's `config.access` (or, for a
 * dashboard page, `config.page`) and domain/permissions.ts. A permission's
 * `roles` may call before publication, `afterPublication` once published.
 *
 * - A refused caller gets 401 without a login (a dashboard page redirects to
 *   the login page), else 403, and the call changes nothing: the event logs,
 *   contacts, evidence, drafts, frameworks, campaigns, policy and inbox read
 *   the same before and after.
 * - An allowed caller sends a valid request about data that exist (the unit
 *   about itself, the contributor VP about the area it owns) and gets a 2xx.
 *
 * The last test checks that every (route, allowed caller) pair was tried, so a
 * new route or a widened rule fails here until its call is written.
 */

type Caller = Role | 'anonymous';
const ROLES: Role[] = ['admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public'];
const CALLERS: Caller[] = ['anonymous', ...ROLES];
const UNIT = 'QUAN_BA_DINH';
const PASSWORD = 'Mật-khẩu thử 2019';
const PDF = Buffer.from('%PDF-1.4\n% Tai lieu kiem chung\n%%EOF\n');
const DOC = { name: 'huong-dan.pdf', ref: 'https://snv.hanoi.gov.vn/huong-dan' };
const ACTORS: Record<Role, Actor> = {
  admin: { id: 'authz.admin', role: 'admin', unitCode: 'SNV' },
  coordinator: { id: 'authz.coordinator', role: 'coordinator' },
  contributor: { id: 'authz.contributor', role: 'contributor', unitCode: 'VP' },
  unit: { id: 'authz.unit', role: 'unit', unitCode: UNIT },
  institute: { id: 'authz.institute', role: 'institute' },
  council: { id: 'authz.council', role: 'council' },
  public: { id: 'authz.public', role: 'public' },
};

interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: string | object | Buffer;
  headers?: Record<string, string>;
}

let stack: TestStack;
let driver: ReturnType<typeof createCampaignDriver>;
/** In the guidance stage: guidance, kick-off, deadlines; its survey run by Sở Nội vụ. */
let fresh: DrivenCampaign;
/** Units in self-assessment: the unit's steps, appraisals, explanations; its survey run by the institute. */
let live: DrivenCampaign;
/** Driven to the council: results exist; the council approves and Sở Nội vụ publishes at the end. */
let council: DrivenCampaign;
const headersOf = new Map<Caller, Record<string, string>>();
/** `${route} as ${caller}` → what happened, for the final completeness check. */
const tried = new Map<string, 'allowed' | 'refused'>();
const ids = { evidence: '', contact: 0, notification: 0, framework: '', request: '' };

beforeAll(async () => {
  stack = await startStack();
  driver = createCampaignDriver(stack.app);
  const users = createUserRepository(stack.database.db);
  await users.insertMissing(
    await Promise.all(
      Object.values(ACTORS).map(async (actor) => ({
        username: actor.id,
        passwordHash: await hashPassword(PASSWORD),
        role: actor.role,
        unitCode: actor.unitCode ?? null,
        displayName: `Người dùng ${actor.role}`,
      })),
    ),
  );
  headersOf.set('anonymous', {});
  for (const role of ROLES) headersOf.set(role, await bearer(ACTORS[role]));
  [fresh, live, council] = await Promise.all([driver.createCampaign(), driver.openCampaign(), driver.openCampaign()]);
  for (const code of council.unitCodes) await driver.submitSelfAssessment(council, code);
  await driver.completeSurvey(council);
  for (const code of council.unitCodes) await driver.appraise(council, code);
  await driver.waitForStage(council, 'council');
}, 300_000);
afterAll(async () => {
  await stack?.stop();
});

function routeOf(key: string): RouteEntry {
  const found = stack.app.routeAccess.find((route) => `${route.method} ${route.url}` === key);
  if (!found) throw new Error(`no route ${key}`);
  return found;
}

/** The callers the declared rule lets through; a dashboard page (config.page) always wants a login. */
function allowedBy(route: RouteEntry, published: boolean): Caller[] {
  const access = route.page ?? route.access;
  if (access === 'public') return CALLERS;
  if (access === 'signed-in') return ROLES;
  const rule: PermissionRule = PERMISSIONS[access];
  const visitor: Caller[] = published && rule.withoutLoginAfterPublication && !route.page ? ['anonymous'] : [];
  return [...rule.roles, ...(published ? (rule.afterPublication ?? []) : []), ...visitor];
}

/** What a refused caller gets: a page sends a visitor to log in; a route open without login after publication refuses one (403) as the public role. */
function refusalOf(route: RouteEntry, caller: Caller): number {
  if (caller !== 'anonymous') return 403;
  if (route.page) return 302;
  return route.access !== 'public' && route.access !== 'signed-in' && opensWithoutLogin(route.access) ? 403 : 401;
}

function send(call: Call, caller: Caller) {
  const body = call.payload;
  return stack.app.inject({
    method: call.method ?? 'GET',
    url: call.url,
    headers: { ...headersOf.get(caller), ...call.headers },
    ...(body === undefined ? {} : { payload: body as string }),
  });
}

/**
 * What a refused call must not change: the data a write could touch, and the events the refused
 * callers appear in (the logs themselves grow on their own as the campaigns' timers fire).
 */
async function state(callers: Caller[]): Promise<string> {
  const actors = callers.filter((caller): caller is Role => caller !== 'anonymous').map((role) => ACTORS[role].id);
  const read = async (url: string) => {
    const response = await stack.app.inject({ method: 'GET', url, headers: SNV_ADMIN });
    return { status: response.statusCode, body: response.statusCode === 200 ? response.json() : null };
  };
  const parts: unknown[] = [];
  for (const campaign of [fresh, live, council]) {
    const events = (await read(`/campaigns/${campaign.campaignId}/events`)).body as { actor: string }[];
    parts.push(events.filter((event) => actors.some((id) => event.actor.endsWith(id))));
    for (const path of [`/units/${UNIT}/evidence`, '/reminder-policy', '/survey/points', `/units/${UNIT}/self-assessment/draft`]) {
      parts.push(await read(`/campaigns/${campaign.campaignId}${path}`));
    }
  }
  parts.push(((await read('/campaigns')).body as { id: string }[]).map((campaign) => campaign.id).sort());
  for (const url of ['/frameworks', `/units/${UNIT}/contacts`, `/inbox?recipient=${UNIT}`, '/accounts', '/accounts/audit', '/organisations?include_disabled=true', '/organisations/audit', '/units']) parts.push(await read(url));
  return JSON.stringify(parts, null, 1);
}

/**
 * One route: every caller the rules refuse is refused and changes nothing; then the callers in
 * `allowed` (default: every caller the rules let through) each send `build(caller)` and succeed.
 */
async function check(key: string, build: (caller: Caller) => Call | Promise<Call>, options: { published?: boolean; only?: Caller[] } = {}) {
  const route = routeOf(key);
  const allowed = allowedBy(route, options.published ?? false);
  const refused = CALLERS.filter((caller) => !allowed.includes(caller) && !tried.has(`${key} as ${caller}`));
  if (refused.length > 0) {
    const before = await state(refused);
    for (const caller of refused) {
      const response = await send(await build(caller), caller);
      const expected = refusalOf(route, caller);
      expect(response.statusCode, `${key} as ${caller}: ${response.body.slice(0, 200)}`).toBe(expected);
      if (expected === 302) expect(response.headers.location).toMatch(/^\/dashboard\/login/);
      tried.set(`${key} as ${caller}`, 'refused');
    }
    expect(await state(refused), `${key}: a refused call changed something`).toBe(before);
  }
  for (const caller of options.only ?? allowed) {
    expect(allowed, `${key}: ${caller} is not allowed by the rules`).toContain(caller);
    const response = await send(await build(caller), caller);
    const redirect = response.statusCode >= 300 && response.statusCode < 400 && !String(response.headers.location).startsWith('/dashboard/login');
    expect(response.statusCode < 300 || redirect, `${key} as ${caller}: ${response.statusCode} ${response.body.slice(0, 300)}`).toBe(true);
    tried.set(`${key} as ${caller}`, 'allowed');
  }
}

const at = (campaign: DrivenCampaign, path = '') => `/campaigns/${campaign.campaignId}${path}`;
/** An area's appraisal rows in the wire's spelling. */
const areaAppraisal = (...args: Parameters<typeof domainAreaAppraisal>) => scoresToWire(domainAreaAppraisal(...args));
const groupOf = (campaign: DrivenCampaign, unitCode: string) => campaign.definition.framework.groups[campaign.definition.units.find((unit) => unit.code === unitCode)!.group]!;
const minutesFromNow = (minutes: number) => toVietnamIso(Math.ceil((Date.now() + minutes * 60_000) / 60_000) * 60_000);

function multipartPdf(name: string): Call['payload'] {
  return `--x\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n${PDF.toString('latin1')}\r\n--x--\r\n`;
}

function surveyCsv(campaign: DrivenCampaign, respondent: string): string {
  return ['respondent_id,respondent_group,unit_code,question_code,answer', ...campaign.unitCodes.map((unitCode) => `${respondent}-${unitCode},HDND,${unitCode},S1,A`)].join('\n');
}

describe('authorization from the declared rules', () => {
  it('has a rule for every route: an app refuses to register one without', async () => {
    for (const route of stack.app.routeAccess) expect(route.access, `${route.method} ${route.url}`).toBeDefined();
    expect(stack.app.routeAccess.length).toBeGreaterThan(60);
    const app = Fastify();
    await registerAuth(app, { tokens: testTokens, sessions: { isRevoked: async () => false }, trustedOrigins: [], secureCookie: false, publicPrefixes: [] });
    const attempt = async () => {
      app.get('/undeclared', async () => 'x');
      await app.ready();
    };
    await expect(attempt()).rejects.toThrow(/GET \/undeclared declares no config.access/);
    await app.close();
  });

  it('sessions, documentation and the framework library', async () => {
    for (const key of ['GET /health', 'GET /ready', 'GET /docs', 'GET /docs/json', 'GET /docs/yaml', 'GET /docs/static/index.html', 'GET /docs/static/swagger-initializer.js']) {
      await check(key, () => ({ url: key.slice(4) }));
    }
    await check('GET /docs/static/*', () => ({ url: '/docs/static/index.css' }));
    await check('POST /auth/login', (caller) => ({ method: 'POST', url: '/auth/login', payload: { username: caller === 'anonymous' ? ACTORS.unit.id : ACTORS[caller].id, password: PASSWORD } }));
    // A fresh token per call: logging out revokes the token it is sent with.
    await check('POST /auth/logout', async (caller) => ({ method: 'POST', url: '/auth/logout', headers: caller === 'anonymous' ? {} : await bearer(ACTORS[caller]) }));
    await check('GET /auth/me', () => ({ url: '/auth/me' }));

    ids.framework = `AUTHZ-${uniqueSlug('f')}`.toUpperCase();
    await check('POST /frameworks', () => ({ method: 'POST', url: '/frameworks', payload: { ...structuredClone(sample), code: ids.framework } }));
    await check('GET /frameworks', () => ({ url: '/frameworks' }));
    await check('GET /frameworks/template.xlsx', () => ({ url: '/frameworks/template.xlsx' }));
    await check('GET /frameworks/:code', () => ({ url: `/frameworks/${ids.framework}` }));
    await check('GET /frameworks/:code/export.xlsx', () => ({ url: `/frameworks/${ids.framework}/export.xlsx` }));
    for (const key of ['GET /dashboard/assets/app.css', 'GET /dashboard/assets/app.js', 'GET /dashboard/assets/forms.js', 'GET /dashboard/login', 'GET /dashboard']) {
      await check(key, () => ({ url: key.slice(4) }));
    }
    await check('GET /dashboard/frameworks', () => ({ url: '/dashboard/frameworks' }));
    await check('GET /dashboard/frameworks/:code', () => ({ url: `/dashboard/frameworks/${ids.framework}` }));
  });

  it('contacts and the inbox', async () => {
    await check('POST /units/:unitCode/contacts', () => ({ method: 'POST', url: `/units/${UNIT}/contacts`, payload: { name: 'Nguyễn Văn Đầu Mối', role: 'staff', email: `dau.moi.${uniqueSlug()}@badinh.hanoi.gov.vn` } }));
    const [contact] = (await stack.app.inject({ method: 'GET', url: `/units/${UNIT}/contacts`, headers: SNV_ADMIN })).json() as { id: number }[];
    ids.contact = contact!.id;
    await check('GET /units/:unitCode/contacts', () => ({ url: `/units/${UNIT}/contacts` }));
    await check('PUT /contacts/:contactId', () => ({ method: 'PUT', url: `/contacts/${ids.contact}`, payload: { name: 'Nguyễn Văn Đầu Mối', role: 'head', email: 'thu.truong@badinh.hanoi.gov.vn' } }));

    const [row] = await stack.database.db
      .insert(notifications)
      .values({
        idempotencyKey: `${live.campaignId}/authz/${UNIT}`,
        dispatchKey: `${live.campaignId}/authz`,
        recipient: UNIT,
        campaignId: live.campaignId,
        unitCode: UNIT,
        stage: 'self_assessment',
        kind: 'reminder',
        title: 'Nhắc hạn nộp báo cáo tự đánh giá',
        body: 'Quận Ba Đình chưa nộp báo cáo tự đánh giá.',
        link: '/dashboard',
        deadline: new Date(Date.now() + 86_400_000),
      })
      .returning({ id: notifications.id });
    ids.notification = row!.id;
    // Staff read a unit's inbox by naming it; the unit reads its own.
    await check('GET /inbox', (caller) => ({ url: caller === 'unit' ? '/inbox' : `/inbox?recipient=${UNIT}` }));
    await check('GET /inbox/unread-count', (caller) => ({ url: caller === 'unit' ? '/inbox/unread-count' : `/inbox/unread-count?recipient=${UNIT}` }));
    await check('POST /inbox/:notificationId/read', () => ({ method: 'POST', url: `/inbox/${ids.notification}/read` }));
    await check('GET /dashboard/inbox', () => ({ url: '/dashboard/inbox' }));
    await check('DELETE /contacts/:contactId', () => ({ method: 'DELETE', url: `/contacts/${ids.contact}` }));
  });

  it('creating campaigns and the guidance stage', async () => {
    await check('POST /campaigns', () => {
      const definition = { ...structuredClone(fresh.definition), slug: uniqueSlug('az') };
      return { method: 'POST', url: '/campaigns', payload: definition };
    });
    await check('POST /campaigns/:campaignId/successor', () => ({
      method: 'POST',
      url: at(live, '/successor'),
      payload: { year: 2020, slug: uniqueSlug('next'), name_vi: 'Chỉ số CCHC năm 2020', timeline: live.definition.timeline },
    }));
    await check('POST /campaigns/from-library', () => ({
      method: 'POST',
      url: '/campaigns/from-library',
      payload: {
        year: 2030,
        slug: uniqueSlug('lib'),
        name_vi: 'Chỉ số CCHC năm 2030',
        framework: { code: ids.framework },
        units: [{ code: 'SO_NOI_VU', name_vi: 'Sở Nội vụ', group: 'department' }, { code: 'HUYEN_MOI', name_vi: 'UBND huyện Mới', group: 'district' }],
        contributors: [{ unit: 'SO_NOI_VU', areas_owned: ['1'] }],
        timeline: live.definition.timeline,
      },
    }));
    await check('GET /campaigns', () => ({ url: '/campaigns' }));

    // Sở Nội vụ may send any contributor's guidance; the contributor VP its own.
    await check('POST /campaigns/:campaignId/guidance', (caller) => ({
      method: 'POST',
      url: at(fresh, '/guidance'),
      payload: caller === 'admin' ? { contributor: 'SNV', areas: ['1'], document: DOC } : { contributor: 'VP', areas: ['3'], document: DOC, summary: 'Hướng dẫn lĩnh vực 3' },
    }));
    await check('POST /campaigns/:campaignId/kickoff', () => ({ method: 'POST', url: at(fresh, '/kickoff'), payload: { date: '2019-12-06', attachment: DOC } }));
    await check('POST /campaigns/:campaignId/deadlines', () => ({ method: 'POST', url: at(fresh, '/deadlines'), payload: { key: 'guidance_due', deadline: minutesFromNow(20), reason: 'Chờ ý kiến Sở Tư pháp' } }));
    await check('POST /campaigns/:campaignId/guidance/publish', () => ({ method: 'POST', url: at(fresh, '/guidance/publish'), payload: { document: DOC, note: 'Hướng dẫn chấm điểm' } }));
    const policy = (await stack.app.inject({ method: 'GET', url: at(fresh, '/reminder-policy'), headers: SNV_ADMIN })).json();
    await check('GET /campaigns/:campaignId/reminder-policy', () => ({ url: at(fresh, '/reminder-policy') }));
    await check('PUT /campaigns/:campaignId/reminder-policy', () => ({ method: 'PUT', url: at(fresh, '/reminder-policy'), payload: policy }));
  });

  it('a unit’s own steps, its appraisal and its explanation', async () => {
    const group = groupOf(live, UNIT);
    const scores = scoresToWire(fullSelfAssessment(group));
    await check('POST /campaigns/:campaignId/units/:unitCode/evidence', () => ({
      method: 'POST',
      url: at(live, `/units/${UNIT}/evidence`),
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: multipartPdf('ke-hoach.pdf'),
    }));
    ids.evidence = ((await stack.app.inject({ method: 'GET', url: at(live, `/units/${UNIT}/evidence`), headers: SNV_ADMIN })).json() as { id: string }[])[0]!.id;
    const withEvidence = scores.map((score, index) => (index === 0 ? { ...score, evidence: [{ name: 'ke-hoach.pdf', ref: `evidence:${ids.evidence}` }] } : score));
    await check('PUT /campaigns/:campaignId/units/:unitCode/self-assessment/draft', () => ({ method: 'PUT', url: at(live, `/units/${UNIT}/self-assessment/draft`), payload: { scores: withEvidence, approved_by: '' } }));
    await check('GET /campaigns/:campaignId/units/:unitCode/self-assessment/draft', () => ({ url: at(live, `/units/${UNIT}/self-assessment/draft`) }));
    await check('POST /campaigns/:campaignId/units/:unitCode/self-assessment', () => ({
      method: 'POST',
      url: at(live, `/units/${UNIT}/self-assessment`),
      payload: { approved_by: 'Chủ tịch UBND quận', scores: withEvidence },
    }));

    // The contributor VP appraises area 3, which it owns; Sở Nội vụ area 1, asking one explanation, then the others.
    let request = '';
    await check('POST /campaigns/:campaignId/units/:unitCode/appraisals', async (caller) => {
      const areaCode = caller === 'contributor' ? '3' : '1';
      const explanationRequests = caller === 'admin' ? [{ code: areaAppraisal(group, '1')[0]!.code, question: 'Đề nghị bổ sung kế hoạch CCHC' }] : [];
      return { method: 'POST', url: at(live, `/units/${UNIT}/appraisals`), payload: { round: 1, area_code: areaCode, scores: areaAppraisal(group, areaCode), explanation_requests: explanationRequests } };
    }, { only: ['contributor'] });
    const first = await send({ method: 'POST', url: at(live, `/units/${UNIT}/appraisals`), payload: { round: 1, area_code: '1', scores: areaAppraisal(group, '1'), explanation_requests: [{ code: areaAppraisal(group, '1')[0]!.code, question: 'Đề nghị bổ sung kế hoạch CCHC' }] } }, 'admin');
    expect(first.statusCode, first.body).toBe(200);
    tried.set('POST /campaigns/:campaignId/units/:unitCode/appraisals as admin', 'allowed');
    request = (first.json() as { explanation_requests: { id: string }[] }).explanation_requests[0]!.id;
    for (const area of group.areas.filter((candidate) => !['1', '3'].includes(candidate.code))) {
      const response = await send({ method: 'POST', url: at(live, `/units/${UNIT}/appraisals`), payload: { round: 1, area_code: area.code, scores: areaAppraisal(group, area.code), explanation_requests: [] } }, 'admin');
      expect(response.statusCode, response.body).toBe(200);
    }
    await eventually(async () => (await send({ url: at(live, `/units/${UNIT}/progress`) }, 'unit')).json().stage === 'explanations', 30_000, 'the explanations stage');
    await check('POST /campaigns/:campaignId/units/:unitCode/explanations/:requestId/answer', () => ({
      method: 'POST',
      url: at(live, `/units/${UNIT}/explanations/${encodeURIComponent(request)}/answer`),
      payload: { note: 'Đã bổ sung kế hoạch', evidence: [{ name: 'ke-hoach.pdf', ref: `evidence:${ids.evidence}` }] },
    }));
  });

  it('the survey, run by Sở Nội vụ on one campaign and by the institute on another', async () => {
    await eventually(async () => (await send({ url: at(fresh, '/survey') }, 'admin')).statusCode === 200, 30_000, 'the survey workflow');
    await eventually(async () => (await send({ url: at(live, '/survey') }, 'admin')).statusCode === 200, 30_000, 'the survey workflow');
    const target = (caller: Caller) => (caller === 'institute' ? live : fresh);
    await check('POST /campaigns/:campaignId/survey/plan', (caller) => ({ method: 'POST', url: at(target(caller), '/survey/plan'), payload: { document: DOC, summary: 'Kế hoạch điều tra' } }));
    await check('POST /campaigns/:campaignId/survey/plan/review', () => ({ method: 'POST', url: at(fresh, '/survey/plan/review'), payload: { approve: true } }));
    expect((await send({ method: 'POST', url: at(live, '/survey/plan/review'), payload: { approve: true } }, 'admin')).statusCode).toBe(200);
    await check('POST /campaigns/:campaignId/survey/fieldwork/open', (caller) => ({ method: 'POST', url: at(target(caller), '/survey/fieldwork/open'), payload: {} }));
    await check('POST /campaigns/:campaignId/survey/fieldwork/close', (caller) => ({ method: 'POST', url: at(target(caller), '/survey/fieldwork/close'), payload: {} }));
    await check('POST /campaigns/:campaignId/survey/answers', (caller) => ({
      method: 'POST',
      url: at(live, '/survey/answers'),
      headers: { 'content-type': 'text/csv' },
      payload: surveyCsv(live, caller === 'admin' ? 'A' : 'I'),
    }));
    await check('GET /campaigns/:campaignId/survey/answers/template', () => ({ url: at(live, '/survey/answers/template?format=csv') }));
    await check('GET /campaigns/:campaignId/survey/points', () => ({ url: at(live, '/survey/points') }));
    await check('POST /campaigns/:campaignId/survey/points/submit', () => ({ method: 'POST', url: at(live, '/survey/points/submit'), payload: {} }));
    await check('POST /campaigns/:campaignId/survey/results', () => ({
      method: 'POST',
      url: at(fresh, '/survey/results'),
      payload: { points: fresh.unitCodes.map((unitCode) => ({ unit_code: unitCode, points_centi: 2500 })), source: 'Báo cáo điều tra' },
    }));
    await check('GET /campaigns/:campaignId/survey', () => ({ url: at(live, '/survey') }));
    await check('GET /dashboard/campaigns/:campaignId/survey', () => ({ url: `/dashboard/campaigns/${live.campaignId}/survey` }));
  });

  const reads: [string, (campaign: DrivenCampaign) => string][] = [
    ['GET /campaigns/:campaignId', (campaign) => at(campaign)],
    ['GET /campaigns/:campaignId/progress', (campaign) => at(campaign, '/progress')],
    ['GET /campaigns/:campaignId/progress/units', (campaign) => at(campaign, '/progress/units')],
    ['GET /campaigns/:campaignId/progress.xlsx', (campaign) => at(campaign, '/progress.xlsx')],
    ['GET /campaigns/:campaignId/events', (campaign) => at(campaign, '/events')],
    ['GET /campaigns/:campaignId/reminders', (campaign) => at(campaign, '/reminders')],
    ['GET /campaigns/:campaignId/deliveries', (campaign) => at(campaign, '/deliveries')],
    ['GET /campaigns/:campaignId/results', (campaign) => at(campaign, '/results')],
    ['GET /campaigns/:campaignId/results.xlsx', (campaign) => at(campaign, '/results.xlsx')],
    ['GET /campaigns/:campaignId/results.pdf', (campaign) => at(campaign, '/results.pdf')],
    ['GET /campaigns/:campaignId/units/:unitCode/progress', (campaign) => at(campaign, `/units/${UNIT}/progress`)],
    ['GET /campaigns/:campaignId/units/:unitCode/explanation', (campaign) => at(campaign, `/units/${UNIT}/explanation`)],
    ['GET /campaigns/:campaignId/units/:unitCode/scores', (campaign) => at(campaign, `/units/${UNIT}/scores`)],
    ['GET /campaigns/:campaignId/units/:unitCode/evidence', (campaign) => at(campaign, `/units/${UNIT}/evidence`)],
    ['GET /evidence/:id', () => `/evidence/${ids.evidence}`],
    ['GET /dashboard/campaigns/:campaignId', (campaign) => `/dashboard/campaigns/${campaign.campaignId}`],
    ['GET /dashboard/campaigns/:campaignId/units/:unitCode', (campaign) => `/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`],
    ['GET /dashboard/campaigns/:campaignId/ranking', (campaign) => `/dashboard/campaigns/${campaign.campaignId}/ranking`],
    ['GET /dashboard/campaigns/:campaignId/reminders', (campaign) => `/dashboard/campaigns/${campaign.campaignId}/reminders`],
    ['GET /dashboard/campaigns/:campaignId/events', (campaign) => `/dashboard/campaigns/${campaign.campaignId}/events`],
  ];

  it('reads of a campaign before publication', async () => {
    const evidence = await send({ method: 'POST', url: at(council, `/units/${UNIT}/evidence`), headers: { 'content-type': 'multipart/form-data; boundary=x' }, payload: multipartPdf('bao-cao.pdf') }, 'admin');
    expect(evidence.statusCode).toBe(201);
    ids.evidence = (evidence.json() as { id: string }).id;
    for (const [key, url] of reads) await check(key, () => ({ url: url(council) }));

    // Without a login, the results and their downloads are refused in both languages and say nothing of the numbers.
    for (const path of ['/results', '/results.xlsx', '/results.pdf']) {
      const refused = await send({ url: at(council, path) }, 'anonymous');
      expect(refused.statusCode, path).toBe(403);
      expect(refused.headers['content-type'], path).toMatch(/^application\/json/);
      expect(refused.json(), path).toEqual({
        status_code: 403,
        error: 'forbidden',
        message_vi: 'Kết quả chưa được công bố',
        message_en: 'The results are not published yet',
        request_id: expect.any(String),
      });
    }
  });

  it('the council’s decision, the publication, and what everyone may then read', async () => {
    await check('POST /campaigns/:campaignId/council-decisions', () => ({ method: 'POST', url: at(council, '/council-decisions'), payload: { decision: 'approve', members_present: 9, votes_for: 9, note: 'Thông qua' } }));
    await check('POST /campaigns/:campaignId/publication', () => ({ method: 'POST', url: at(council, '/publication'), payload: { decision_number: '1752/QĐ-UBND', decision_date: '2020-04-29' } }));
    await eventually(async () => (await send({ url: at(council) }, 'admin')).json().stage === 'published', 60_000, 'the published campaign');
    for (const [key, url] of reads) {
      const route = routeOf(key);
      const after = allowedBy(route, true).filter((caller) => !allowedBy(route, false).includes(caller));
      if (after.length > 0) await check(key, () => ({ url: url(council) }), { published: true, only: after });
    }
    await check('GET /dashboard/public/:campaignId', () => ({ url: `/dashboard/public/${council.campaignId}` }));
    await check('GET /dashboard/public/:campaignId/results.pdf', () => ({ url: `/dashboard/public/${council.campaignId}/results.pdf` }));
    await check('GET /campaigns/:campaignId/verification', () => ({ url: at(council, '/verification') }));
    await check('GET /campaigns/:campaignId/verification/bundle', () => ({ url: at(council, '/verification/bundle') }));
  });

  it('accounts, their audit log, and changing one’s own password', async () => {
    const target = 'authz.target';
    const made = await stack.app.inject({ method: 'POST', url: '/accounts', headers: SNV_ADMIN, payload: { username: target, full_name: 'Người Thử Quyền', role: 'unit', unit_code: UNIT } });
    expect(made.statusCode, made.body).toBe(201);
    await check('POST /accounts', () => ({ method: 'POST', url: '/accounts', payload: { username: `authz.${uniqueSlug('a')}`, full_name: 'Người Thử Quyền Mới', role: 'unit', unit_code: UNIT } }));
    await check('GET /accounts', () => ({ url: `/accounts?unit_code=${UNIT}&role=unit` }));
    await check('GET /accounts/audit', () => ({ url: `/accounts/audit?username=${target}` }));
    await check('PATCH /accounts/:username', () => ({ method: 'PATCH', url: `/accounts/${target}`, payload: { full_name: 'Người Thử Quyền Hai' } }));
    await check('POST /accounts/:username/disable', () => ({ method: 'POST', url: `/accounts/${target}/disable` }));
    await check('POST /accounts/:username/enable', () => ({ method: 'POST', url: `/accounts/${target}/enable` }));
    await check('POST /accounts/:username/reset-password', () => ({ method: 'POST', url: `/accounts/${target}/reset-password` }));
    await check('GET /dashboard/accounts', () => ({ url: `/dashboard/accounts?unit=${UNIT}&role=unit` }));
    await check('GET /dashboard/password', () => ({ url: '/dashboard/password?next=/dashboard/inbox' }));

    // Every signed-in role changes its own password, then puts it back; a change ends the user's
    // earlier tokens, so each role gets a fresh one for the tests after this.
    const changed = 'Mật-khẩu đổi thử 2020';
    await check('POST /auth/password', () => ({ method: 'POST', url: '/auth/password', payload: { current_password: PASSWORD, new_password: changed } }));
    for (const role of ROLES) {
      const back = await stack.app.inject({ method: 'POST', url: '/auth/password', headers: await bearer(ACTORS[role]), payload: { current_password: changed, new_password: PASSWORD } });
      expect(back.statusCode, `${role}: ${back.body}`).toBe(200);
      headersOf.set(role, await bearer(ACTORS[role]));
    }
  });

  it('the organisation directory and its audit log', async () => {
    const made = await stack.app.inject({ method: 'POST', url: '/organisations', headers: SNV_ADMIN, payload: { code: 'AUTHZ_SXD', name_vi: 'Sở Xây dựng', kind: 'department' } });
    expect(made.statusCode, made.body).toBe(201);
    await check('GET /organisations', () => ({ url: '/organisations?kind=department' }));
    await check('POST /organisations', () => ({
      method: 'POST',
      url: '/organisations',
      payload: { code: `AUTHZ_${uniqueSlug('o').toUpperCase()}`, name_vi: 'Sở Thử Quyền', kind: 'department' },
    }));
    await check('PATCH /organisations/:code', () => ({ method: 'PATCH', url: '/organisations/AUTHZ_SXD', payload: { name_vi: 'Sở Xây dựng Hà Nội' } }));
    await check('GET /organisations/audit', () => ({ url: '/organisations/audit?code=AUTHZ_SXD' }));
    await check('GET /dashboard/organisations', () => ({ url: '/dashboard/organisations?kind=department' }));
  });

  it('the onboarding workbook, its template and the province’s units', async () => {
    const workbook = await writeOnboardingWorkbook({
      organisations: [{ code: 'AUTHZ_VIEN', name_vi: 'Viện Thử Quyền', kind: 'survey_institute' }],
      units: [{ code: 'AUTHZ_XA', name_vi: 'Xã Thử Quyền', group_code: 'commune', group_name_vi: 'Xã' }],
      accounts: [{ username: 'authz.xa', full_name: 'Cán Bộ Xã', email: null, unit_code: 'AUTHZ_XA', organisation_code: null, role: 'unit' }],
    });
    const upload = multipart('onboarding.xlsx', XLSX_TYPE, workbook);
    await check('GET /onboarding/template.xlsx', () => ({ url: '/onboarding/template.xlsx' }));
    await check('POST /onboarding/import', () => ({ method: 'POST', url: '/onboarding/import', headers: upload.headers, payload: upload.payload as unknown as string }));
    await check('GET /units', () => ({ url: '/units?group=commune' }));
  });

  it('the changes the read model refused, and their retry', async () => {
    // A change parked under the key of one already projected: the retry finds it applied and only marks it resolved.
    const parked = createParkedChangeRepository(stack.database.db);
    const [projected] = await stack.database.db.select().from(campaignEvents).where(eq(campaignEvents.campaignId, fresh.campaignId)).limit(1);
    expect(projected).toBeDefined();
    await parked.park(
      { idempotencyKey: projected!.idempotencyKey, campaignId: fresh.campaignId, actor: 'system', action: 'authz_probe', at: new Date().toISOString(), effects: [] },
      new Error('probe'),
      new Date(),
    );
    const [row] = await parked.listParked();
    await check('GET /parked-changes', () => ({ url: '/parked-changes' }));
    await check('GET /dashboard/parked-changes', () => ({ url: '/dashboard/parked-changes' }));
    await check('POST /parked-changes/:id/retry', () => ({ method: 'POST', url: `/parked-changes/${row!.id}/retry`, payload: {} }));
  });

  it('tried every route as every caller the rules allow, and refused every other', () => {
    const missing: string[] = [];
    for (const route of stack.app.routeAccess) {
      const key = `${route.method} ${route.url}`;
      const everAllowed = allowedBy(route, true);
      for (const caller of CALLERS) {
        const expected = everAllowed.includes(caller) ? 'allowed' : 'refused';
        if (tried.get(`${key} as ${caller}`) !== expected) {
          missing.push(`${key} as ${caller}: ${tried.get(`${key} as ${caller}`) ?? 'never tried'}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('refuses a unit another unit’s progress and a contributor an area it does not own, before the workflow', async () => {
    const other = await stack.app.inject({ method: 'GET', url: `/campaigns/${live.campaignId}/units/QUAN_HOAN_KIEM/progress`, headers: headersOf.get('unit')! });
    expect(other.statusCode).toBe(403);
    expect(other.json().message_en).toContain('its own data until the results are published');

    const notOwner = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/${live.campaignId}/units/${UNIT}/appraisals`,
      headers: headersOf.get('contributor')!,
      payload: { round: 1, area_code: '1', scores: [{ code: '1.1.1', input: { kind: 'boolean', value: true } }] },
    });
    expect(notOwner.statusCode).toBe(403);
    expect(notOwner.json().message_vi).toBe('Lĩnh vực 1 không do đơn vị của bạn thẩm định');

    // A campaign the read model does not know has no owners to check: the answer is the workflow's 404, not a 403.
    const unknownCampaign = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/par-2019-none/units/${UNIT}/appraisals`,
      headers: headersOf.get('contributor')!,
      payload: { round: 1, area_code: '1', scores: [{ code: '1.1.1', input: { kind: 'boolean', value: true } }] },
    });
    expect(unknownCampaign.statusCode).toBe(404);
  });

  it('shows a public user no unpublished campaign in the list', async () => {
    const list = await stack.app.inject({ method: 'GET', url: '/campaigns', headers: headersOf.get('public')! });
    expect(list.statusCode).toBe(200);
    expect(list.json().map((campaign: { id: string }) => campaign.id)).not.toContain(live.campaignId);
    const staff = await stack.app.inject({ method: 'GET', url: '/campaigns', headers: headersOf.get('coordinator')! });
    expect(staff.json().map((campaign: { id: string }) => campaign.id)).toContain(live.campaignId);
  });
});

describe('login', () => {
  it('answers a bearer token and sets an httpOnly SameSite=Lax cookie that both authenticate; logout clears the cookie', async () => {
    const login = await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'AUTHZ.Unit', password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { username: 'authz.unit', role: 'unit', unit_code: UNIT } });
    const cookie = login.cookies.find((item) => item.name === 'par_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', value: login.json().token });

    const byBearer = await stack.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(byBearer.json()).toMatchObject({ username: 'authz.unit', role: 'unit', display_name: 'Người dùng unit' });
    const byCookie = await stack.app.inject({ method: 'GET', url: `/campaigns/${live.campaignId}/units/${UNIT}/progress`, cookies: { par_session: cookie.value } });
    expect(byCookie.statusCode).not.toBe(401);

    const logout = await stack.app.inject({ method: 'POST', url: '/auth/logout', cookies: { par_session: cookie.value }, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((item) => item.name === 'par_session')).toMatchObject({ value: '' });
  });

  it('refuses a wrong password, an unknown user and a disabled account alike, in both languages', async () => {
    const users = createUserRepository(stack.database.db);
    await users.setActive('authz.public', false);
    for (const payload of [
      { username: 'authz.admin', password: 'sai mật khẩu' },
      { username: 'khong-ton-tai', password: PASSWORD },
      { username: 'authz.public', password: PASSWORD },
    ]) {
      const response = await stack.app.inject({ method: 'POST', url: '/auth/login', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_credentials', message_vi: expect.stringContaining('mật khẩu') });
      expect(response.cookies).toEqual([]);
    }
  });
});

describe('guards', () => {
  it('sends security headers, and a CSP on /docs that lets the page load its own scripts over plain http', async () => {
    const health = await stack.app.inject({ method: 'GET', url: '/health' });
    expect(health.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(health.headers['content-security-policy']).toContain("default-src 'self'");
    const docs = await stack.app.inject({ method: 'GET', url: '/docs/static/index.html' });
    const page = await stack.app.inject({ method: 'GET', url: docs.headers.location ?? '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('answers 413 for a body over the size limit', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(6 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
  });
});

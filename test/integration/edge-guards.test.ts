import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../application/auth/passwords';
import { composeApi } from '../../server/compose';
import { createUserRepository } from '../../db/repositories/users';
import { fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { bearerAs, TEST_API_SETTINGS } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * The edge's defences, each against the way it was broken: cookie writes from
 * another origin, the global rate limit, the reminder policy and a unit's rank
 * before publication, tokens without expiry or after logout, and evidence cited
 * across units and campaigns or uploaded after publication.
 */

const PDF = Buffer.from('%PDF-1.4\n% Tai lieu kiem chung\n%%EOF\n');
const PASSWORD = 'Mật-khẩu thử 2019';

let stack: TestStack;
let driver: ReturnType<typeof createCampaignDriver>;
let campaign: DrivenCampaign;

beforeAll(async () => {
  stack = await startStack();
  driver = createCampaignDriver(stack.app);
  campaign = await driver.openCampaign();
  await createUserRepository(stack.database.db).insertMissing([
    { username: 'edge.admin', passwordHash: await hashPassword(PASSWORD), role: 'admin', unitCode: 'SNV', displayName: 'Quản trị' },
    { username: 'edge.unit', passwordHash: await hashPassword(PASSWORD), role: 'unit', unitCode: 'SNV', displayName: 'Sở Nội vụ' },
  ]);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function logIn(username: string): Promise<{ token: string; cookie: string }> {
  const response = await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: PASSWORD } });
  expect(response.statusCode).toBe(200);
  return { token: response.json().token, cookie: response.cookies.find((item) => item.name === 'par_session')!.value };
}

async function contactsOf(unitCode: string): Promise<unknown[]> {
  return (await stack.app.inject({ method: 'GET', url: `/units/${unitCode}/contacts`, headers: SNV_ADMIN })).json();
}

function uploadTo(campaignId: string, unitCode: string, headers: Record<string, string>) {
  return stack.app.inject({
    method: 'POST',
    url: `/campaigns/${campaignId}/units/${unitCode}/evidence`,
    headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' },
    payload: `--x\r\nContent-Disposition: form-data; name="file"; filename="tai-lieu.pdf"\r\nContent-Type: application/pdf\r\n\r\n${PDF.toString('latin1')}\r\n--x--\r\n`,
  });
}

describe('cookie-authenticated writes', () => {
  const contact = (n: number) => ({ name: `Nguyễn Văn ${n}`, role: 'staff', email: `canbo${n}@vp.hanoi.gov.vn` });

  it('refuse another origin, a same-site fetch and a request that says nothing, with the cookie; change nothing', async () => {
    const { cookie } = await logIn('edge.admin');
    const before = await contactsOf('VP');
    for (const headers of [
      { origin: 'http://127.0.0.1:9999' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      {},
    ]) {
      const response = await stack.app.inject({ method: 'POST', url: '/units/VP/contacts', cookies: { par_session: cookie }, headers, payload: contact(1) });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json()).toMatchObject({ error: 'cross_origin_write', message_vi: expect.any(String), message_en: expect.stringContaining('must come from this site itself') });
    }
    expect(await contactsOf('VP')).toEqual(before);
  });

  it('accept the same origin, or Sec-Fetch-Site: same-origin, with the cookie; and any bearer call', async () => {
    const { cookie, token } = await logIn('edge.admin');
    const own = await stack.app.inject({ method: 'POST', url: '/units/VP/contacts', cookies: { par_session: cookie }, headers: { origin: 'http://localhost:80', host: 'localhost:80' }, payload: contact(2) });
    expect(own.statusCode).toBe(201);
    const fetchMetadata = await stack.app.inject({ method: 'POST', url: '/units/VP/contacts', cookies: { par_session: cookie }, headers: { 'sec-fetch-site': 'same-origin' }, payload: contact(3) });
    expect(fetchMetadata.statusCode).toBe(201);
    const byBearer = await stack.app.inject({ method: 'POST', url: '/units/VP/contacts', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' }, payload: contact(4) });
    expect(byBearer.statusCode).toBe(201);
    // Reads need no origin.
    expect((await stack.app.inject({ method: 'GET', url: '/units/VP/contacts', cookies: { par_session: cookie }, headers: { origin: 'https://evil.example' } })).statusCode).toBe(200);
  });

  it('never take a text/plain body, even with a bearer token', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: '/units/VP/contacts',
      headers: { ...SNV_ADMIN, 'content-type': 'text/plain' },
      payload: JSON.stringify(contact(5)),
    });
    expect(response.statusCode).toBe(415);
    const survey = await stack.app.inject({ method: 'POST', url: `/campaigns/${campaign.campaignId}/survey/answers`, headers: { ...SNV_ADMIN, 'content-type': 'text/plain' }, payload: 'respondent_id\n' });
    expect(survey.statusCode).toBe(415);
  });
});

describe('the global rate limit', () => {
  it('counts refused anonymous requests: 650 GET /auth/me in a minute get some 429s', async () => {
    const app = await composeApi({ db: stack.database.db, temporal: stack.client, taskQueue: stack.taskQueue, logger: false, settings: { ...TEST_API_SETTINGS, RATE_LIMIT_MAX: 600 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 650; i += 1) statuses.push((await app.inject({ method: 'GET', url: '/auth/me' })).statusCode);
      expect(statuses.filter((status) => status === 401)).toHaveLength(600);
      expect(statuses.filter((status) => status === 429)).toHaveLength(50);
      const limited = await app.inject({ method: 'GET', url: '/auth/me' });
      expect(limited.json()).toMatchObject({ error: 'rate_limited', message_vi: expect.stringContaining('Quá nhiều yêu cầu') });
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      // /health stays exempt.
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the login limit', () => {
  it('still applies on top of the global limit: the 11th login for one username in a minute is a 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      statuses.push((await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'edge.doan', password: 'sai mật khẩu' } })).statusCode);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });
});

describe('tokens', () => {
  const key = new TextEncoder().encode(TEST_API_SETTINGS.JWT_SECRET);
  const claims = { role: 'admin', unit: 'SNV' };

  it('refuses a token without exp or without jti, though correctly signed', async () => {
    const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('snv-admin').setIssuer('par-index').setAudience('par-index-api').setIssuedAt().setJti('a').sign(key);
    const noJti = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('snv-admin').setIssuer('par-index').setAudience('par-index-api').setIssuedAt().setExpirationTime('1h').sign(key);
    const complete = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('snv-admin').setIssuer('par-index').setAudience('par-index-api').setIssuedAt().setExpirationTime('1h').setJti('b').sign(key);
    for (const token of [noExp, noJti]) {
      expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    }
    expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: { authorization: `Bearer ${complete}` } })).statusCode).toBe(200);
  });

  it('logout revokes the token it is called with, as a bearer and as the cookie', async () => {
    const byBearer = await logIn('edge.unit');
    const other = await logIn('edge.unit');
    expect((await stack.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: `Bearer ${byBearer.token}` } })).statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${byBearer.token}` } })).statusCode).toBe(401);
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', cookies: { par_session: byBearer.cookie } })).statusCode).toBe(401);
    // Another session of the same user is untouched.
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${other.token}` } })).statusCode).toBe(200);

    const logout = await stack.app.inject({ method: 'POST', url: '/auth/logout', cookies: { par_session: other.cookie }, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((item) => item.name === 'par_session')).toMatchObject({ value: '' });
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', cookies: { par_session: other.cookie } })).statusCode).toBe(401);
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${other.token}` } })).statusCode).toBe(401);
  });

  it('disabling an account revokes every token it holds', async () => {
    const users = createUserRepository(stack.database.db);
    await users.insertMissing([{ username: 'edge.khoa', passwordHash: await hashPassword(PASSWORD), role: 'coordinator', unitCode: null, displayName: 'Sẽ bị khóa' }]);
    const first = await logIn('edge.khoa');
    const second = await logIn('edge.khoa');
    expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: { authorization: `Bearer ${first.token}` } })).statusCode).toBe(200);
    await users.setActive('edge.khoa', false);
    for (const token of [first.token, second.token]) {
      expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    }
  });
});

describe('the reminder policy', () => {
  it('is read by Sở Nội vụ and coordinators only: it names the coordinators and their e-mail', async () => {
    const url = `/campaigns/${campaign.campaignId}/reminder-policy`;
    for (const [role, unit] of [['public'], ['unit', 'SNV'], ['contributor', 'VP'], ['institute'], ['council']] as const) {
      const response = await stack.app.inject({ method: 'GET', url, headers: await bearerAs(role, unit) });
      expect(response.statusCode, role).toBe(403);
      expect(response.body).not.toContain('@');
    }
    expect((await stack.app.inject({ method: 'GET', url, headers: await bearerAs('coordinator') })).statusCode).toBe(200);
    expect((await stack.app.inject({ method: 'GET', url, headers: SNV_ADMIN })).statusCode).toBe(200);
  });
});

describe('evidence', () => {
  const unitSnv = () => bearerAs('unit', 'SNV', 'snv');

  it('a unit cites only its own evidence of the same campaign; another unit’s, another campaign’s or a made-up id is a 400 naming the field', async () => {
    const own = (await uploadTo(campaign.campaignId, 'SNV', await unitSnv())).json().ref as string;
    const neighbours = (await uploadTo(campaign.campaignId, 'QUAN_BA_DINH', SNV_ADMIN)).json().ref as string;
    const elsewhere = await driver.openCampaign();
    const otherCampaign = (await uploadTo(elsewhere.campaignId, 'SNV', await unitSnv())).json().ref as string;
    const group = campaign.definition.framework.groups[campaign.definition.units.find((unit) => unit.code === 'SNV')!.group]!;
    const scores = scoresToWire(fullSelfAssessment(group));
    const url = `/campaigns/${campaign.campaignId}/units/SNV/self-assessment`;
    const events = async () => (await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/events`, headers: SNV_ADMIN })).json();
    const before = await events();

    for (const ref of [neighbours, otherCampaign, 'evidence:not-a-uuid', 'evidence:00000000-0000-4000-8000-000000000000']) {
      const cited = scores.map((score, index) => (index === 1 ? { ...score, evidence: [{ name: 'tai-lieu.pdf', ref }] } : score));
      const response = await stack.app.inject({ method: 'POST', url, headers: await unitSnv(), payload: { approved_by: 'Thủ trưởng', scores: cited } });
      expect(response.statusCode, ref).toBe(400);
      expect(response.json().issues).toEqual([
        expect.objectContaining({ path: ['scores', 1, 'evidence', 0, 'ref'], code: 'evidence_not_citable', message_vi: expect.stringContaining(ref), message_en: expect.stringContaining(ref) }),
      ]);
    }
    expect(await events()).toEqual(before);

    const cited = scores.map((score, index) => (index === 1 ? { ...score, evidence: [{ name: 'tai-lieu.pdf', ref: own }, { name: 'Cổng TTĐT', ref: 'https://snv.hanoi.gov.vn/ke-hoach' }] } : score));
    const accepted = await stack.app.inject({ method: 'POST', url, headers: await unitSnv(), payload: { approved_by: 'Thủ trưởng', scores: cited } });
    expect(accepted.statusCode, accepted.body).toBe(200);
  });

  it('before publication a unit’s own explanation shows no rank; after it, uploads are refused with 409', async () => {
    const campaign = await driver.openCampaign();
    for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
    await driver.completeSurvey(campaign);
    for (const code of campaign.unitCodes) await driver.appraise(campaign, code);
    await driver.waitForStage(campaign, 'council');
    const upload = (unitCode: string, headers: Record<string, string>) => uploadTo(campaign.campaignId, unitCode, headers);

    const url = `/campaigns/${campaign.campaignId}/units/SNV/explanation`;
    const ownView = await stack.app.inject({ method: 'GET', url, headers: await unitSnv() });
    expect(ownView.statusCode).toBe(200);
    expect(ownView.json().explanation.rank).toBeUndefined();
    expect(ownView.json().explanation.band).toBeUndefined();
    expect(ownView.json().explanation.lines_vi.join('\n')).not.toContain('Xếp hạng');
    expect(ownView.json().explanation.total_centi).toBeGreaterThan(0);
    const staffView = await stack.app.inject({ method: 'GET', url, headers: SNV_ADMIN });
    expect(staffView.json().explanation.rank).toEqual(expect.any(Number));

    await driver.approveAndPublish(campaign);
    const late = await upload('SNV', await unitSnv());
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: 'campaign_published', message_vi: expect.stringContaining('đã công bố'), message_en: expect.stringContaining('published') });
    expect((await upload('SNV', SNV_ADMIN)).statusCode).toBe(409);
    const published = await stack.app.inject({ method: 'GET', url, headers: await unitSnv() });
    expect(published.json().explanation.rank).toEqual(expect.any(Number));
  }, 240_000);
});

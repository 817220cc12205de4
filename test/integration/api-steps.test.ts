import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDefinition } from '../../domain/campaign';
import { toVietnamIso } from '../../domain/deadlines';
import { surveyWorkflowId, unitWorkflowId } from '../../domain/units';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { fullSelfAssessment as fullScores } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { farTimeline } from './helpers/deadlines';
import { bearer, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { recordHistories } from './helpers/histories';

/**
 * The step endpoints against the real campaign, unit and survey workflows on a
 * real worker. Each test creates its own small campaign (two units per group:
 * departments SNV and VP, districts QUAN_BA_DINH and QUAN_HOAN_KIEM; so the
 * guidance contributors are SNV for areas 1, 4, 5 and VP for area 3) whose 2019
 * calendar runs in real days from now, so no deadline passes during a test.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Headers = Record<string, string>;
const ADMIN: Headers = await bearer({ id: 'snv-admin', role: 'admin' });
const VP_CONTRIBUTOR: Headers = await bearer({ id: 'vp-staff', role: 'contributor', unitCode: 'VP' });
const SNV_CONTRIBUTOR: Headers = await bearer({ id: 'snv-staff', role: 'contributor', unitCode: 'SNV' });
const INSTITUTE: Headers = await bearer({ id: 'vien-ncpt', role: 'institute' });
const UNITS: Record<string, Headers> = Object.fromEntries(
  await Promise.all(
    ['QUAN_BA_DINH', 'QUAN_HOAN_KIEM', 'VP', 'STP', 'SNV'].map(async (code) => [code, await bearer({ id: `${code.toLowerCase()}-staff`, role: 'unit', unitCode: code })]),
  ),
);
const unitActor = (code: string): Headers => UNITS[code]!;
const DOC = { name: 'huong-dan.pdf', ref: 'file-guidance' };

async function post(url: string, payload: unknown, headers: Headers = {}) {
  return stack.app.inject({ method: 'POST', url, payload: payload as object, headers });
}

/** Reads as Sở Nội vụ unless told otherwise. */
async function get(url: string, headers: Headers = ADMIN) {
  return stack.app.inject({ method: 'GET', url, headers });
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) {
      const last = typeof value === 'object' && value !== null && 'body' in value ? (value as { body: unknown }).body : value;
      throw new Error(`timed out waiting for ${what}: last ${typeof last === 'string' ? last : JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function createCampaign(): Promise<{ campaignId: string; definition: CampaignDefinition }> {
  const slug = uniqueSlug();
  const definition = hanoi2019Campaign({
    slug,
    unitsPerGroup: 2,
    timeline: farTimeline(),
  });
  const created = await post('/campaigns', definition, ADMIN);
  expect(created.statusCode).toBe(201);
  return { campaignId: `par-2019-${slug}`, definition };
}

/** Publishes the guidance and waits until the unit workflows answer. */
async function openSelfAssessment(campaignId: string) {
  const published = await post(`/campaigns/${campaignId}/guidance/publish`, { document: DOC }, ADMIN);
  expect(published.statusCode).toBe(200);
  await eventually(
    () => get(`/campaigns/${campaignId}/units/QUAN_HOAN_KIEM/progress`),
    (response) => response.statusCode === 200,
    'the unit workflows to start',
  );
}

/**
 * The campaign starts its survey child just after it answers POST /campaigns
 * (awaitRecorded resolves first), so a test waits for the survey workflow.
 */
async function surveyStarted(campaignId: string) {
  await eventually(() => get(`/campaigns/${campaignId}/survey`), (response) => response.statusCode === 200, 'the survey workflow to start');
}

/** A complete, valid self-assessment: every sub-criterion of the group at its maximum, with evidence. */
function fullSelfAssessment(definition: CampaignDefinition, groupCode: string) {
  return { approved_by: 'Nguyễn Văn A, Chủ tịch UBND quận', scores: scoresToWire(fullScores(definition.framework.groups[groupCode]!)) };
}

async function eventsOf(campaignId: string): Promise<{ action: string; actor: string; unit_code: string | null }[]> {
  const response = await get(`/campaigns/${campaignId}/events`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('guidance steps', () => {
  it('takes guidance from the contributor that owns the area and refuses it from a unit with a Vietnamese reason', async () => {
    const { campaignId } = await createCampaign();
    const body = { contributor: 'VP', areas: ['3'], document: DOC, summary: 'Hướng dẫn lĩnh vực cải cách thủ tục hành chính' };

    const accepted = await post(`/campaigns/${campaignId}/guidance`, body, VP_CONTRIBUTOR);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ campaign_id: campaignId, stage: 'guidance' });
    expect(accepted.json().guidance.contributions).toEqual([
      expect.objectContaining({ contributor: 'VP', areas: ['3'], document: DOC }),
    ]);

    // A unit never sends guidance (refused before the body is read); another contributor not in VP's name.
    expect((await post(`/campaigns/${campaignId}/guidance`, body, unitActor('VP'))).statusCode).toBe(403);
    const refused = await post(`/campaigns/${campaignId}/guidance`, body, SNV_CONTRIBUTOR);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden', message_vi: 'Bạn không gửi hướng dẫn thay cho VP' });
    expect(refused.json().request_id).toBe(refused.headers['x-request-id']);

    const anonymous = await post(`/campaigns/${campaignId}/guidance`, body);
    expect(anonymous.statusCode).toBe(401);
  });

  it('applies a guidance submission retried with the same Idempotency-Key once and answers the retry with the first result', async () => {
    const { campaignId } = await createCampaign();
    const body = { contributor: 'VP', areas: ['3'], document: DOC };
    const headers = { ...VP_CONTRIBUTOR, 'idempotency-key': `guidance-${uniqueSlug()}` };

    const first = await post(`/campaigns/${campaignId}/guidance`, body, headers);
    const retry = await post(`/campaigns/${campaignId}/guidance`, body, headers);
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    // Same submittedAt: the retry got the first update's outcome, not a second run of the handler.
    expect(retry.json()).toEqual(first.json());

    // The kick-off is written to the event log after the guidance, so once it is there any duplicate would be too.
    const kickoff = await post(`/campaigns/${campaignId}/kickoff`, { date: '2019-12-06', attachment: DOC }, ADMIN);
    expect(kickoff.statusCode).toBe(200);
    expect(kickoff.json().guidance.kickoff).toMatchObject({ date: '2019-12-06', attachment: DOC });
    const events = await eventually(() => eventsOf(campaignId), (all) => all.some((e) => e.action === 'kickoff_recorded'), 'the kick-off event');
    expect(events.filter((event) => event.action === 'guidance_submitted')).toEqual([
      expect.objectContaining({ actor: 'contributor:VP/vp-staff' }),
    ]);
  });

  it('lets only Sở Nội vụ publish the guidance, which opens self-assessment for every unit', async () => {
    const { campaignId } = await createCampaign();
    const byContributor = await post(`/campaigns/${campaignId}/guidance/publish`, { document: DOC }, VP_CONTRIBUTOR);
    expect(byContributor.statusCode).toBe(403);

    const published = await post(`/campaigns/${campaignId}/guidance/publish`, { document: DOC, note: 'Công bố' }, ADMIN);
    expect(published.statusCode).toBe(200);
    expect(published.json().guidance).toMatchObject({ published_document: DOC, missing_at_publication: ['VP', 'SNV'] });

    const again = await post(`/campaigns/${campaignId}/guidance/publish`, { document: DOC }, ADMIN);
    expect(again.statusCode).toBe(409);

    const progress = await eventually(
      () => get(`/campaigns/${campaignId}/progress`),
      (response) => response.json().stage === 'self_assessment',
      'the campaign to reach self-assessment',
    );
    expect(progress.statusCode).toBe(200);
    const unit = await get(`/campaigns/${campaignId}/units/QUAN_BA_DINH/progress`);
    expect(unit.statusCode).toBe(200);
    expect(unit.json()).toMatchObject({ unit_code: 'QUAN_BA_DINH', group_code: 'district', stage: 'self_assessment', status: 'pending' });
  });

  it('answers 404 in both languages for a step on a campaign that does not exist', async () => {
    const response = await post(`/campaigns/par-2019-${uniqueSlug('none')}/guidance`, { contributor: 'VP', areas: ['3'], document: DOC }, VP_CONTRIBUTOR);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'campaign_not_found' });
    expect(response.json().message_vi).toContain('Không tìm thấy');
  });
});

describe('self-assessment', () => {
  it('accepts a complete self-assessment from the unit itself, refuses another unit and an incomplete one', async () => {
    const { campaignId, definition } = await createCampaign();
    await openSelfAssessment(campaignId);
    const url = `/campaigns/${campaignId}/units/QUAN_BA_DINH/self-assessment`;
    const full = fullSelfAssessment(definition, 'district');

    const incomplete = await post(url, { ...full, scores: full.scores.slice(1) }, unitActor('QUAN_BA_DINH'));
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json()).toMatchObject({ error: 'validation_failed', message_vi: 'Bản tự đánh giá chưa hợp lệ' });
    expect(incomplete.json().issues).toEqual([
      expect.objectContaining({ path: ['scores'], code: 'missing_subcriterion', message_vi: expect.stringContaining(full.scores[0]!.code) }),
    ]);

    const otherUnit = await post(url, full, unitActor('QUAN_HOAN_KIEM'));
    expect(otherUnit.statusCode).toBe(403);
    expect(otherUnit.json().message_vi).toContain('Quận Ba Đình');

    const accepted = await post(url, full, unitActor('QUAN_BA_DINH'));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ unit_code: 'QUAN_BA_DINH', stage: 'appraisal_round_1', status: 'submitted' });
    expect(accepted.json().submitted_at).toEqual(expect.any(String));

    const progress = await get(`/campaigns/${campaignId}/units/QUAN_BA_DINH/progress`);
    expect(progress.json()).toMatchObject({ stage: 'appraisal_round_1' });

    const twice = await post(url, full, unitActor('QUAN_BA_DINH'));
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: 'wrong_stage' });
  });

  it('answers a retried self-assessment with its first outcome, and judges one sent again under the same key with an edited body as a step of its own', async () => {
    const { campaignId, definition } = await createCampaign();
    await openSelfAssessment(campaignId);
    const url = `/campaigns/${campaignId}/units/QUAN_BA_DINH/self-assessment`;
    const full = fullSelfAssessment(definition, 'district');
    const headers = { ...unitActor('QUAN_BA_DINH'), 'idempotency-key': `self-${uniqueSlug()}` };

    const first = await post(url, full, headers);
    expect(first.statusCode).toBe(200);
    const retry = await post(url, full, headers);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().submitted_at).toBe(first.json().submitted_at);

    const [head, ...rest] = full.scores;
    const edited = await post(url, { ...full, scores: [{ ...head!, note: 'Ghi chú sửa sau khi gửi' }, ...rest] }, headers);
    expect(edited.statusCode).toBe(409);
    expect(edited.json()).toMatchObject({ error: 'wrong_stage' });
  });

  it('answers 404 for a unit that is not in the campaign', async () => {
    const { campaignId, definition } = await createCampaign();
    await openSelfAssessment(campaignId);
    const response = await post(`/campaigns/${campaignId}/units/STP/self-assessment`, fullSelfAssessment(definition, 'department'), unitActor('STP'));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'unit_not_found' });
  });

  it('answers 409 campaign_closed for a step on a unit workflow that has ended', async () => {
    const { campaignId, definition } = await createCampaign();
    await openSelfAssessment(campaignId);
    await stack.client.workflow.getHandle(unitWorkflowId(campaignId, 'QUAN_BA_DINH')).terminate('test: the unit workflow has ended');
    const response = await post(
      `/campaigns/${campaignId}/units/QUAN_BA_DINH/self-assessment`,
      fullSelfAssessment(definition, 'district'),
      unitActor('QUAN_BA_DINH'),
    );
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: 'campaign_closed' });
  });
});

describe('appraisal and explanations', () => {
  it('lets the unit answer an explanation request addressed by its URL-encoded ID', async () => {
    const { campaignId, definition } = await createCampaign();
    await openSelfAssessment(campaignId);
    const unitUrl = `/campaigns/${campaignId}/units/QUAN_BA_DINH`;
    const full = fullSelfAssessment(definition, 'district');
    expect((await post(`${unitUrl}/self-assessment`, full, unitActor('QUAN_BA_DINH'))).statusCode).toBe(200);

    // Round 1 as the self-assessment says (no reason needed), one explanation request on area 1.
    const group = definition.framework.groups.district!;
    const inputOf = new Map(full.scores.map((score) => [score.code, score.input]));
    const notOwner = await post(
      `${unitUrl}/appraisals`,
      { round: 1, area_code: '3', scores: [{ code: 'x', input: { kind: 'boolean', value: true } }] },
      SNV_CONTRIBUTOR,
    );
    expect(notOwner.statusCode).toBe(403);
    let last;
    for (const area of group.areas) {
      const scores = area.criteria.flatMap((criterion) => criterion.subcriteria).map((sub) => ({ code: sub.code, input: inputOf.get(sub.code)! }));
      const explanationRequests = area === group.areas[0] ? [{ code: scores[0]!.code, question: 'Đề nghị bổ sung văn bản ban hành kế hoạch' }] : [];
      last = await post(`${unitUrl}/appraisals`, { round: 1, area_code: area.code, scores, explanation_requests: explanationRequests }, ADMIN);
      expect(last.statusCode).toBe(200);
    }
    const [request] = last!.json().explanation_requests;

    await eventually(() => get(`${unitUrl}/progress`), (response) => response.json().stage === 'explanations', 'the explanations stage');
    const unknown = await post(`${unitUrl}/explanations/${encodeURIComponent(`${request.id}-nope`)}/answer`, { note: 'x' }, unitActor('QUAN_BA_DINH'));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'not_found' });

    const answerUrl = `${unitUrl}/explanations/${encodeURIComponent(request.id)}/answer`;
    const byOther = await post(answerUrl, { note: 'Không phải của tôi' }, unitActor('QUAN_HOAN_KIEM'));
    expect(byOther.statusCode).toBe(403);

    const answered = await post(answerUrl, { note: 'Đã bổ sung Quyết định số 12/QĐ-UBND', evidence: [{ name: 'qd-12.pdf', ref: 'file-2' }] }, unitActor('QUAN_BA_DINH'));
    expect(answered.statusCode).toBe(200);
    expect(answered.json().explanation_requests[0]).toMatchObject({ id: request.id, answer: { note: 'Đã bổ sung Quyết định số 12/QĐ-UBND' } });
    // That was the only request, so the unit moves on to round 2 and takes no more answers.
    await eventually(() => get(`${unitUrl}/progress`), (response) => response.json().stage === 'appraisal_round_2', 'appraisal round 2');
  });
});

describe('deadlines', () => {
  it('lets only Sở Nội vụ move a deadline, refuses a past date with 400 on the field, extends one unit, and moves everyone, the later of two moves winning', async () => {
    const { campaignId, definition } = await createCampaign();
    const url = `/campaigns/${campaignId}/deadlines`;
    // Whole minutes in Vietnam time, as the workflows write deadlines (no milliseconds).
    const DAY = 86_400_000;
    const wholeMinute = (ms: number) => toVietnamIso(Math.ceil(ms / 60_000) * 60_000);
    const due = Date.parse(definition.timeline.self_assessment_due);
    const later = wholeMinute(due + 3 * DAY);

    const byUnit = await post(url, { key: 'self_assessment_due', deadline: later, reason: 'Gia hạn' }, unitActor('QUAN_BA_DINH'));
    expect(byUnit.statusCode).toBe(403);
    expect(byUnit.json().message_vi).toBe('Chỉ Sở Nội vụ thay đổi thời hạn');

    const past = await post(url, { key: 'self_assessment_due', deadline: '2019-01-01', reason: 'Nhầm' }, ADMIN);
    expect(past.statusCode).toBe(400);
    expect(past.json().issues).toEqual([expect.objectContaining({ path: ['deadline'], code: 'deadline_in_past' })]);

    // Self-assessment is due 50 days in (the 2019 calendar in real days): guidance may move to 20 days, not past it.
    const outOfOrder = await post(url, { key: 'guidance_due', deadline: later, reason: 'Chờ ý kiến Sở Tư pháp' }, ADMIN);
    expect(outOfOrder.statusCode).toBe(400);
    expect(outOfOrder.json().issues).toEqual([expect.objectContaining({ path: ['timeline', 'self_assessment_due'], code: 'timeline_order' })]);
    const soon = wholeMinute(Date.now() + 20 * DAY);
    const moved = await post(url, { key: 'guidance_due', deadline: soon, reason: 'Chờ ý kiến Sở Tư pháp' }, ADMIN);
    expect(moved.statusCode).toBe(200);
    expect(moved.json().timeline.guidance_due).toBe(soon);

    await openSelfAssessment(campaignId);
    const extended = await post(url, { key: 'self_assessment_due', deadline: later, unit_code: 'QUAN_HOAN_KIEM', reason: 'Đơn vị sáp nhập phòng ban' }, ADMIN);
    expect(extended.statusCode).toBe(200);
    const unit = await eventually(
      () => get(`/campaigns/${campaignId}/units/QUAN_HOAN_KIEM/progress`),
      (response) => Date.parse(response.json().self_assessment_due) === Date.parse(later),
      'the extension to reach the unit',
    );
    expect(unit.statusCode).toBe(200);
    // The other units keep the campaign's deadline.
    const other = await get(`/campaigns/${campaignId}/units/QUAN_BA_DINH/progress`);
    expect(Date.parse(other.json().self_assessment_due)).not.toBe(Date.parse(later));

    // A move for everyone answers once the campaign has it and reaches the units behind the answer; after two moves
    // in a row every unit ends with the second (the extended unit keeps its later date).
    const firstMove = wholeMinute(due + DAY);
    const secondMove = wholeMinute(due + 2 * DAY);
    for (const deadline of [firstMove, secondMove]) {
      expect((await post(url, { key: 'self_assessment_due', deadline, reason: 'Lùi hạn chung' }, ADMIN)).statusCode).toBe(200);
    }
    const expectedDue = (code: string) => Date.parse(code === 'QUAN_HOAN_KIEM' ? later : secondMove);
    for (const { code } of definition.units) {
      await eventually(
        () => get(`/campaigns/${campaignId}/units/${code}/progress`),
        (response) => Date.parse(response.json().self_assessment_due) === expectedDue(code),
        `the second move to reach ${code}`,
      );
    }
    await recordHistories({ 'campaign-deadline-moves': stack.client.workflow.getHandle(campaignId) });
  });
});

describe('survey track', () => {
  it('takes the institute plan, Sở Nội vụ approval and fieldwork, and answers its progress', async () => {
    const { campaignId } = await createCampaign();
    const base = `/campaigns/${campaignId}/survey`;
    const institute = INSTITUTE;
    await surveyStarted(campaignId);

    expect((await post(`${base}/plan`, { document: DOC }, unitActor('VP'))).statusCode).toBe(403);
    const plan = await post(`${base}/plan`, { document: DOC, summary: 'Kế hoạch 251/KH-UBND' }, institute);
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({ status: 'plan_submitted', plan: { document: DOC } });

    const returnedWithoutReason = await post(`${base}/plan/review`, { approve: false }, ADMIN);
    expect(returnedWithoutReason.statusCode).toBe(400);
    expect((await post(`${base}/plan/review`, { approve: true }, ADMIN)).statusCode).toBe(200);
    expect((await post(`${base}/fieldwork/close`, {}, institute)).json()).toMatchObject({ error: 'wrong_stage' });
    expect((await post(`${base}/fieldwork/open`, {}, institute)).statusCode).toBe(200);
    expect((await post(`${base}/fieldwork/close`, {}, institute)).statusCode).toBe(200);

    const progress = await get(base);
    expect(progress.statusCode).toBe(200);
    expect(progress.json()).toMatchObject({ campaign_id: campaignId, status: 'fieldwork_closed', fieldwork_opened_at: expect.any(String) });
    expect(progress.json().plan_reviews).toEqual([{ approve: true, reason: '', reviewed_at: expect.any(String) }]);
  });

  it('answers 409 survey_closed once the survey workflow has ended', async () => {
    const { campaignId } = await createCampaign();
    await surveyStarted(campaignId);
    await stack.client.workflow.getHandle(surveyWorkflowId(campaignId)).terminate('test: the survey has ended');
    const response = await post(`/campaigns/${campaignId}/survey/plan`, { document: DOC }, INSTITUTE);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: 'survey_closed' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { bearerAs } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { startStack, type TestStack } from './helpers/stack';

/**
 * Self-assessment drafts: saved as often as the unit likes while its
 * self-assessment is open, read by the unit and Sở Nội vụ only, counted as
 * "Đang làm dở" in the coordinators' progress, closed once the unit submits.
 */

let stack: TestStack;
let campaign: DrivenCampaign;

beforeAll(async () => {
  stack = await startStack();
});
// Each test its own campaign: what one saves or submits is never what another starts from.
beforeEach(async () => {
  campaign = await createCampaignDriver(stack.app).openCampaign();
});

afterAll(async () => {
  await stack?.stop();
});

const draftUrl = (unitCode: string) => `/campaigns/${campaign.campaignId}/units/${unitCode}/self-assessment/draft`;
const asUnit = (unitCode: string) => bearerAs('unit', unitCode, unitCode.toLowerCase());

function partialSheet(unitCode: string) {
  const group = campaign.definition.framework.groups[campaign.definition.units.find((unit) => unit.code === unitCode)!.group]!;
  const [first, second, ...rest] = scoresToWire(fullSelfAssessment(group));
  // Two rows scored, one row with only a note: what a unit has half-way through.
  return { scores: [first!, second!, { code: rest[0]!.code, note: 'Đang chờ số liệu của phòng Nội vụ', evidence: [] }], approved_by: '' };
}

async function progressStatus(unitCode: string) {
  const response = await stack.app.inject({
    method: 'GET',
    url: `/campaigns/${campaign.campaignId}/progress/units?stage=self_assessment`,
    headers: await bearerAs('coordinator'),
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { units: { rows: { unit_code: string; status: string }[] } }).units.rows.find((row) => row.unit_code === unitCode)?.status;
}

describe('self-assessment drafts', () => {
  it('keeps the last draft a unit saved, for the unit and Sở Nội vụ, and counts the unit as in progress', async () => {
    expect(await progressStatus('QUAN_BA_DINH')).toBe('not_started');
    const first = partialSheet('QUAN_BA_DINH');
    const saved = await stack.app.inject({ method: 'PUT', url: draftUrl('QUAN_BA_DINH'), headers: await asUnit('QUAN_BA_DINH'), payload: first });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ saved_by: 'unit:QUAN_BA_DINH/quan_ba_dinh', saved_at: expect.stringMatching(/\+07:00$/) });

    const second = { ...first, approved_by: 'Chủ tịch UBND quận Ba Đình' };
    await stack.app.inject({ method: 'PUT', url: draftUrl('QUAN_BA_DINH'), headers: await asUnit('QUAN_BA_DINH'), payload: second });
    for (const headers of [await asUnit('QUAN_BA_DINH'), await bearerAs('admin', 'SNV')]) {
      const read = await stack.app.inject({ method: 'GET', url: draftUrl('QUAN_BA_DINH'), headers });
      expect(read.statusCode).toBe(200);
      expect(read.json().draft).toEqual(second);
    }
    expect(await progressStatus('QUAN_BA_DINH')).toBe('draft');
    expect(await progressStatus('QUAN_HOAN_KIEM')).toBe('not_started');
  });

  it('refuses another unit’s draft, a coordinator reading one, and a malformed row, naming the field', async () => {
    const other = await stack.app.inject({ method: 'PUT', url: draftUrl('QUAN_BA_DINH'), headers: await asUnit('QUAN_HOAN_KIEM'), payload: partialSheet('QUAN_BA_DINH') });
    expect(other.statusCode).toBe(403);
    const coordinator = await stack.app.inject({ method: 'GET', url: draftUrl('QUAN_BA_DINH'), headers: await bearerAs('coordinator') });
    expect(coordinator.statusCode).toBe(403);
    expect(coordinator.json().message_vi).toContain('Chỉ đơn vị (và Sở Nội vụ) xem bản nháp');
    const none = await stack.app.inject({ method: 'GET', url: draftUrl('QUAN_HOAN_KIEM'), headers: await asUnit('QUAN_HOAN_KIEM') });
    expect(none.statusCode).toBe(404);

    const bad = await stack.app.inject({
      method: 'PUT',
      url: draftUrl('QUAN_HOAN_KIEM'),
      headers: await asUnit('QUAN_HOAN_KIEM'),
      payload: { scores: [{ code: '1.1.1', input: { kind: 'percent', percent_centi: -5 } }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((issue: { path: unknown[] }) => issue.path.join('.'))).toContain('body.scores.0.input.percent_centi');
    expect(await progressStatus('QUAN_HOAN_KIEM')).toBe('not_started');
  });

  it('closes the draft once the unit has submitted', async () => {
    await createCampaignDriver(stack.app).submitSelfAssessment(campaign, 'QUAN_BA_DINH');
    const late = await stack.app.inject({ method: 'PUT', url: draftUrl('QUAN_BA_DINH'), headers: await asUnit('QUAN_BA_DINH'), payload: partialSheet('QUAN_BA_DINH') });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: 'wrong_stage', message_vi: expect.stringContaining('không lưu nháp được nữa') });
  });
});

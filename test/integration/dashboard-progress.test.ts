import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignUnits, campaigns, explanationRequests } from '../../db/schema';
import type { ProgressStatus } from '../../domain/progress';
import type { UnitFlag, UnitStage, UnitStatus } from '../../domain/units';
import { HANOI_2019_TIMELINE } from '../../seed/hanoi-2019';
import { bearerAs } from '../helpers/auth';
import { startStack, uniqueSlug, type TestStack } from './helpers/stack';

/**
 * GET /campaigns/:id/progress/units at national scale: 5,000 units written
 * straight into the read model (as the projection would leave them), one of
 * each progress status in turn, then the counts, the filters and the time the
 * whole answer takes.
 */

const UNITS = 5_000;
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Stage, status and flags that give each progress status, in PROGRESS_STATUSES order except draft (needs an answer). */
const PATTERNS: { stage: UnitStage; status: UnitStatus; flags: UnitFlag[]; expected: ProgressStatus }[] = [
  { stage: 'self_assessment', status: 'pending', flags: [], expected: 'not_started' },
  { stage: 'explanations', status: 'pending', flags: [], expected: 'draft' },
  { stage: 'appraisal_round_1', status: 'submitted', flags: [], expected: 'submitted' },
  { stage: 'appraisal_round_1', status: 'submitted', flags: ['submitted_late'], expected: 'late' },
  { stage: 'self_assessment', status: 'overdue', flags: [], expected: 'overdue' },
  { stage: 'appraised', status: 'done', flags: ['submitted_late'], expected: 'done' },
];

async function seedCampaign(): Promise<string> {
  const campaignId = `par-2019-${uniqueSlug('scale')}`;
  const db = stack.database.db;
  await db.insert(campaigns).values({
    id: campaignId,
    year: 2019,
    nameVi: 'Chỉ số CCHC toàn quốc (thử tải)',
    stage: 'appraisal_round_1',
    status: 'running',
    definition: { framework: { groups: { department: { name_vi: 'Sở, cơ quan ngang sở' }, commune: { name_vi: 'Xã, phường' } } } },
    timeline: HANOI_2019_TIMELINE,
  });
  const now = new Date();
  const rows = Array.from({ length: UNITS }, (_, index) => {
    const pattern = PATTERNS[index % PATTERNS.length]!;
    return {
      campaignId,
      unitCode: `U${String(index).padStart(5, '0')}`,
      nameVi: `${index % 2 ? 'Phường' : 'Sở'} Đơn vị ${index}`,
      groupCode: index % 2 ? 'commune' : 'department',
      stage: pattern.stage,
      status: pattern.status,
      flags: pattern.flags,
      selfAssessmentDue: new Date('2020-01-10T16:59:59Z'),
      explanationsDue: new Date('2020-03-05T16:59:59Z'),
      lastActivityAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(campaignUnits).values(rows.slice(i, i + 1000));
  // Every "explanations" unit has two requests; one answered makes it a draft, none would leave it not started.
  const explaining = rows.filter((row) => row.stage === 'explanations');
  const requests = explaining.flatMap((row) =>
    [1, 2].map((n) => ({
      campaignId,
      unitCode: row.unitCode,
      id: `${row.unitCode}/r${n}`,
      subcriterionCode: `1.1.${n}`,
      areaCode: '1',
      question: 'Đề nghị giải trình',
      requestedBy: 'snv.admin',
      dueAt: row.explanationsDue,
      requestedAt: now,
      ...(n === 1 ? { answerNote: 'Đã bổ sung', answeredAt: now } : {}),
    })),
  );
  for (let i = 0; i < requests.length; i += 1000) await db.insert(explanationRequests).values(requests.slice(i, i + 1000));
  return campaignId;
}

describe('progress for coordinators', () => {
  // How fast this page answers is measured by `npm run bench:progress` (BENCHMARKS.md, P4), not asserted here.
  it('counts 5,000 units per stage and status and answers the whole filtered table', async () => {
    const campaignId = await seedCampaign();
    const coordinator = await bearerAs('coordinator', undefined, 'snv.dieuphoi');
    const url = `/campaigns/${campaignId}/progress/units`;
    const get = (query: string) => stack.app.inject({ method: 'GET', url: `${url}${query}`, headers: coordinator });

    const response = await get('?limit=5000');
    expect(response.statusCode).toBe(200);
    const body = response.json();

    // 833 full rounds of the six patterns, then units 4998 and 4999: one more not started and one more draft.
    expect(body.totals).toEqual({ not_started: 834, draft: 834, submitted: 833, late: 833, overdue: 833, done: 833, total: UNITS });
    const row = (stage: string) => body.counts.find((counts: { stage: string }) => counts.stage === stage);
    expect(row('appraisal_round_1')).toMatchObject({ stage_label_vi: 'Thẩm định vòng 1', submitted: 833, late: 833, total: 1666 });
    expect(body.units).toMatchObject({ total: UNITS, limit: 5000, offset: 0 });
    expect(body.units.rows).toHaveLength(UNITS);
    // Vietnamese order: "Phường …" before "Sở …"; within a prefix, digit by digit (Intl.Collator('vi'), not numeric).
    expect(body.units.rows[0].name_vi).toBe('Phường Đơn vị 1');
    expect(body.units.rows.at(-1).name_vi.startsWith('Sở')).toBe(true);
    for (const unit of body.units.rows.slice(0, 12)) {
      const index = Number(unit.unit_code.slice(1));
      expect(unit.status).toBe(PATTERNS[index % PATTERNS.length]!.expected);
    }

    const drafts = (await get('?status=draft&group=commune&limit=10')).json();
    // Draft units are the odd-numbered ones (index % 6 = 1), all communes.
    expect(drafts.units.total).toBe(834);
    expect(drafts.units.rows).toHaveLength(10);
    for (const unit of drafts.units.rows) {
      expect(unit).toMatchObject({ status: 'draft', status_label_vi: 'Đang làm dở', group_name_vi: 'Xã, phường', stage: 'explanations' });
      expect(unit.next_deadline).toMatchObject({ key: 'explanations_due', label_vi: 'Giải trình', at: '2020-03-05T23:59:59+07:00' });
    }
    const overdue = (await get('?stage=self_assessment&status=overdue&offset=800&limit=100')).json();
    expect(overdue.units).toMatchObject({ total: 833, offset: 800 });
    expect(overdue.units.rows).toHaveLength(33);
    // The group filter applies to the counts too; stage and status filter the table only.
    expect(overdue.totals.total).toBe(UNITS);

    expect((await get('?status=unknown')).statusCode).toBe(400);
    expect((await stack.app.inject({ method: 'GET', url, headers: await bearerAs('unit', 'U00001') })).statusCode).toBe(403);
    expect((await stack.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });
});

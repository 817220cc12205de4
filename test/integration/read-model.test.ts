import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createReadModelRepository, type ReadModelRepository } from '../../db/repositories/read-model';
import { createProgressRepository } from '../../db/repositories/progress';
import type { CampaignDefinition } from '../../domain/campaign';
import type { ReadModelChange, ReadModelEffect } from '../../domain/effects';
import { UNIT_STAGES, UNIT_STATUSES, unitWorkflowId } from '../../domain/units';
import { hanoi2019Campaign, HANOI_2019_TIMELINE } from '../../seed/hanoi-2019';
import { rowsOf } from '../../db/raw-rows';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let database: TestDatabase;
let readModel: ReadModelRepository;
let campaigns: ReturnType<typeof createCampaignRepository>;

beforeAll(async () => {
  database = await createTestDatabase();
  readModel = createReadModelRepository(database.db);
  campaigns = createCampaignRepository(database.db);
});
afterAll(async () => {
  await database?.destroy();
});

/** A campaign of its own (3 departments + 3 districts) so no test depends on another. */
async function newCampaign(): Promise<{ campaignId: string; definition: CampaignDefinition }> {
  const slug = `rm${randomBytes(5).toString('hex')}`;
  const definition = hanoi2019Campaign({ slug, unitsPerGroup: 3 });
  const campaignId = `par-2019-${slug}`;
  await campaigns.insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });
  return { campaignId, definition };
}

let keys = 0;
function change(campaignId: string, effects: ReadModelEffect[], extra: Partial<ReadModelChange> = {}): ReadModelChange {
  keys += 1;
  return {
    idempotencyKey: `${campaignId}#${keys}`,
    campaignId,
    actor: 'snv',
    action: 'test_step',
    at: '2019-12-20T03:00:00.000Z',
    effects,
    ...extra,
  };
}

const unitState = (unitCode: string, patch: Partial<Extract<ReadModelEffect, { kind: 'unit_state' }>> = {}): ReadModelEffect => ({
  kind: 'unit_state',
  unitCode,
  stage: 'self_assessment',
  status: 'pending',
  flags: [],
  selfAssessmentDue: HANOI_2019_TIMELINE.self_assessment_due,
  explanationsDue: HANOI_2019_TIMELINE.explanations_due,
  ...patch,
});

describe('projecting workflow changes into the read model', () => {
  it('starts each unit in self-assessment with the definition deadlines and keeps the timeline on the campaign', async () => {
    const { campaignId } = await newCampaign();
    const campaign = await campaigns.findCampaign(campaignId);
    expect(campaign).toMatchObject({ timeline: HANOI_2019_TIMELINE, surveyStatus: 'awaiting_plan', publishedAt: null });
    const units = await createProgressRepository(database.db).listUnits(campaignId);
    expect(units).toHaveLength(6);
    // 2020-01-15 (the self-assessment deadline) ends at 23:59:59 Vietnam time = 16:59:59Z.
    expect(units[0]).toMatchObject({ stage: 'self_assessment', workflowStatus: 'pending', status: 'not_started', flags: [], submittedAt: null });
    expect(units[0]!.selfAssessmentDue?.toISOString()).toBe(new Date(`${HANOI_2019_TIMELINE.self_assessment_due}T23:59:59+07:00`).toISOString());
  });

  it('applies the same change twice as one event and one application of its effects', async () => {
    const { campaignId } = await newCampaign();
    const submitted = change(campaignId, [unitState('SNV', { stage: 'appraisal_round_1', status: 'submitted' })], {
      unitCode: 'SNV',
      action: 'self_assessment_submitted',
      at: '2020-01-10T02:00:00.000Z',
      before: { status: 'pending' },
      after: { status: 'submitted' },
      reason: 'nộp đúng hạn',
    });
    const overdue = change(campaignId, [unitState('SNV', { stage: 'appraisal_round_1', status: 'overdue' })], {
      unitCode: 'SNV',
      at: '2020-02-01T02:00:00.000Z',
    });

    expect(await readModel.applyChange(submitted)).toEqual({ applied: true });
    expect(await readModel.applyChange(overdue)).toEqual({ applied: true });
    // A retry of the first change arrives late: it must neither log again nor rewind the unit.
    expect(await readModel.applyChange(submitted)).toEqual({ applied: false });

    const events = (await campaigns.listEvents(campaignId)).filter((event) => event.idempotencyKey === submitted.idempotencyKey);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      unitCode: 'SNV',
      actor: 'snv',
      action: 'self_assessment_submitted',
      before: { status: 'pending' },
      after: { status: 'submitted' },
      reason: 'nộp đúng hạn',
      occurredAt: new Date('2020-01-10T02:00:00.000Z'),
    });
    const [snv] = await createProgressRepository(database.db).listUnits(campaignId, { status: 'overdue' });
    expect(snv).toMatchObject({ unitCode: 'SNV', workflowStatus: 'overdue', status: 'overdue', lastActivityAt: new Date('2020-02-01T02:00:00.000Z') });
    expect(snv!.submittedAt).toEqual(new Date('2020-01-10T02:00:00.000Z'));
  });

  it('applies a batch in one call exactly as it applies its changes one at a time', async () => {
    // Consecutive unit states go in one UPDATE; a unit seen twice, another effect
    // between them or a key given twice must not change what lands.
    const changes = (campaignId: string) => {
      const opened = ['SNV', 'VP', 'STP'].map((unitCode) => change(campaignId, [unitState(unitCode)], { unitCode, action: 'unit_opened', at: '2019-12-10T01:00:00.000Z' }));
      const at = (day: number) => ({ at: `2020-01-${String(day).padStart(2, '0')}T02:00:00.000Z` });
      return [
        ...opened,
        change(campaignId, [{ kind: 'campaign_stage', stage: 'self_assessment' }], at(2)),
        change(campaignId, [unitState('VP', { stage: 'appraisal_round_1', status: 'submitted' })], { unitCode: 'VP', ...at(10) }),
        change(campaignId, [unitState('SNV', { status: 'overdue', flags: ['missing_submission'] })], { unitCode: 'SNV', ...at(16) }),
        opened[0]!, // the same key again: SNV must not go back to pending
        // VP reopened and submitted again keeps its first submission (10-01), which one UPDATE of all three would lose.
        change(campaignId, [unitState('VP', { stage: 'self_assessment', status: 'pending', selfAssessmentDue: '2020-01-25' })], { unitCode: 'VP', ...at(17) }),
        change(campaignId, [unitState('VP', { stage: 'appraisal_round_1', status: 'submitted', flags: ['submitted_late'] })], { unitCode: 'VP', ...at(18) }),
      ];
    };
    const oneByOne = await newCampaign();
    let appliedOneByOne = 0;
    for (const each of changes(oneByOne.campaignId)) if ((await readModel.applyChange(each)).applied) appliedOneByOne += 1;
    const batched = await newCampaign();
    const batch = changes(batched.campaignId);
    expect(await readModel.applyChanges(batch)).toEqual({ applied: appliedOneByOne });
    expect(appliedOneByOne).toBe(batch.length - 1);

    const progress = createProgressRepository(database.db);
    const state = async (campaignId: string) => ({
      stage: (await campaigns.findCampaign(campaignId))!.stage,
      units: await progress.listUnits(campaignId),
      events: (await campaigns.listEvents(campaignId)).map(({ unitCode, actor, action, before, after, reason, occurredAt }) => ({ unitCode, actor, action, before, after, reason, occurredAt })),
    });
    const landed = await state(batched.campaignId);
    expect(landed).toEqual(await state(oneByOne.campaignId));
    const vp = landed.units.find((unit) => unit.unitCode === 'VP')!;
    expect(vp).toMatchObject({ stage: 'appraisal_round_1', workflowStatus: 'submitted', flags: ['submitted_late'], submittedAt: new Date('2020-01-10T02:00:00.000Z') });
    expect(landed.units.find((unit) => unit.unitCode === 'SNV')).toMatchObject({ workflowStatus: 'overdue', flags: ['missing_submission'] });

    // The whole batch retried after a crash applies nothing.
    expect(await readModel.applyChanges(batch)).toEqual({ applied: 0 });
    expect(await state(batched.campaignId)).toEqual(landed);
  });

  it('rolls back the event when an effect fails, so a retry applies the whole change', async () => {
    const { campaignId } = await newCampaign();
    const broken = change(campaignId, [
      { kind: 'campaign_stage', stage: 'self_assessment' },
      unitState('VP', { selfAssessmentDue: 'not a deadline' }),
    ]);
    await expect(readModel.applyChange(broken)).rejects.toThrow(/deadline/);
    expect((await campaigns.findCampaign(campaignId))!.stage).toBe('guidance');
    expect(await campaigns.listEvents(campaignId)).toHaveLength(0);
  });

  it('lands every effect kind where the read queries find it', async () => {
    const { campaignId } = await newCampaign();
    const movedTimeline = { ...HANOI_2019_TIMELINE, self_assessment_due: '2020-01-20' };
    await readModel.applyChange(
      change(campaignId, [
        { kind: 'campaign_stage', stage: 'self_assessment' },
        { kind: 'campaign_timeline', timeline: movedTimeline },
        { kind: 'survey_status', status: 'plan_submitted' },
      ], { at: '2020-01-02T01:00:00.000Z' }),
    );
    const campaign = await campaigns.findCampaign(campaignId);
    expect(campaign).toMatchObject({
      stage: 'self_assessment',
      stageChangedAt: new Date('2020-01-02T01:00:00.000Z'),
      timeline: movedTimeline,
      surveyStatus: 'plan_submitted',
    });

    // unit_state: an extension for one unit, a flag for another.
    await readModel.applyChange(change(campaignId, [unitState('VP', { selfAssessmentDue: '2020-01-25T17:00:00+07:00' })]));
    await readModel.applyChange(
      change(campaignId, [unitState('QUAN_BA_DINH', { stage: 'appraisal_round_1', status: 'pending', flags: ['missing_submission'] })]),
    );
    const vp = (await createProgressRepository(database.db).listUnits(campaignId)).find((unit) => unit.unitCode === 'VP');
    expect(vp!.selfAssessmentDue).toEqual(new Date('2020-01-25T10:00:00.000Z'));
    expect(await createProgressRepository(database.db).listUnits(campaignId, { group: 'district', stage: 'appraisal_round_1' })).toEqual([
      expect.objectContaining({ unitCode: 'QUAN_BA_DINH', flags: ['missing_submission'], submittedAt: null }),
    ]);
    const counts = await createProgressRepository(database.db).countByStageAndStatus(campaignId);
    expect(counts.sort((a, b) => a.stage.localeCompare(b.stage))).toEqual([
      { stage: 'appraisal_round_1', status: 'not_started', units: 1 },
      { stage: 'self_assessment', status: 'not_started', units: 5 },
    ]);

    // scores: self column, then round 1 changes one line; the sheet shows both columns.
    const evidence = [{ name: 'Báo cáo CCHC 2019', ref: 'file:abc' }];
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'scores',
          unitCode: 'SNV',
          column: 'self',
          entries: [
            { code: '1.1.1', input: { kind: 'boolean', value: true }, pointsCenti: 100, note: '', evidence },
            { code: '1.10.1', input: { kind: 'boolean', value: true }, pointsCenti: 100, note: 'x', evidence: [] },
            { code: '1.2.1', input: { kind: 'percent', percentCenti: 9050 }, pointsCenti: 181, note: 'tỷ lệ 90,5%', evidence },
          ],
          setBy: 'unit:SNV',
          setAt: '2020-01-10T02:00:00.000Z',
        },
      ]),
    );
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'scores',
          unitCode: 'SNV',
          column: 'round1',
          entries: [{ code: '1.1.1', input: { kind: 'boolean', value: false }, pointsCenti: 0, note: 'thiếu kế hoạch', evidence: [] }],
          setBy: 'appraiser:SNV',
          setAt: '2020-02-10T02:00:00.000Z',
        },
      ]),
    );
    const sheet = await readModel.getUnitScores(campaignId, 'SNV');
    expect(sheet.map((line) => line.subcriterionCode)).toEqual(['1.1.1', '1.2.1', '1.10.1']);
    expect(sheet[0]).toMatchObject({
      self: { input: { kind: 'boolean', value: true }, pointsCenti: 100, evidence, setBy: 'unit:SNV' },
      round1: { pointsCenti: 0, note: 'thiếu kế hoạch', setAt: new Date('2020-02-10T02:00:00.000Z') },
      round2: null,
    });
    expect(sheet[1]!.self).toMatchObject({ pointsCenti: 181, note: 'tỷ lệ 90,5%' });

    // explanation requests and an answer
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'explanation_requests',
          unitCode: 'SNV',
          requests: [
            { id: 'r1', code: '1.1.1', areaCode: '1', question: 'Vì sao thiếu kế hoạch?', requestedBy: 'appraiser:SNV', dueAt: '2020-02-20' },
            { id: 'r2', code: '1.2.1', areaCode: '1', question: 'Nguồn số liệu?', requestedBy: 'appraiser:SNV', dueAt: '2020-02-20' },
          ],
        },
      ], { at: '2020-02-10T03:00:00.000Z' }),
    );
    await readModel.applyChange(
      change(campaignId, [
        { kind: 'explanation_requests', unitCode: 'VP', requests: [{ id: 'r1', code: '2.1.1', areaCode: '2', question: '?', requestedBy: 'appraiser:STP', dueAt: '2020-02-20' }] },
      ], { at: '2020-02-11T03:00:00.000Z' }),
    );
    await readModel.applyChange(
      change(campaignId, [
        { kind: 'explanation_answer', unitCode: 'SNV', requestId: 'r1', note: 'Kế hoạch ban hành muộn', evidence, answeredAt: '2020-02-15T04:00:00.000Z' },
      ]),
    );
    const snvRequests = await readModel.listExplanationRequests(campaignId, 'SNV');
    expect(snvRequests).toHaveLength(2);
    expect(snvRequests.find((request) => request.id === 'r1')).toMatchObject({
      subcriterionCode: '1.1.1',
      areaCode: '1',
      question: 'Vì sao thiếu kế hoạch?',
      requestedAt: new Date('2020-02-10T03:00:00.000Z'),
      dueAt: new Date('2020-02-20T16:59:59.000Z'),
      answerNote: 'Kế hoạch ban hành muộn',
      answerEvidence: evidence,
      answeredAt: new Date('2020-02-15T04:00:00.000Z'),
    });
    expect(snvRequests.find((request) => request.id === 'r2')).toMatchObject({ answerNote: null, answeredAt: null });
    expect(await readModel.listExplanationRequests(campaignId)).toHaveLength(3);

    // guidance contributions: a resubmission replaces the first
    const guidance = (summary: string, at: string) =>
      change(campaignId, [{ kind: 'guidance_contribution', contributor: 'STP', areas: ['2'], document: { name: 'HD', ref: 'file:hd' }, summary }], {
        actor: 'contributor:STP',
        at,
      });
    await readModel.applyChange(guidance('bản đầu', '2019-11-28T01:00:00.000Z'));
    await readModel.applyChange(guidance('bản sửa', '2019-11-29T01:00:00.000Z'));
    expect(await readModel.listGuidance(campaignId)).toEqual([
      {
        campaignId,
        contributor: 'STP',
        areas: ['2'],
        document: { name: 'HD', ref: 'file:hd' },
        summary: 'bản sửa',
        submittedAt: new Date('2019-11-29T01:00:00.000Z'),
        submittedBy: 'contributor:STP',
      },
    ]);

    // survey points: every unit, then a corrected delivery
    await readModel.applyChange(
      change(campaignId, [{ kind: 'survey_points', points: [{ unitCode: 'SNV', pointsCenti: 2550 }, { unitCode: 'VP', pointsCenti: 2400 }] }]),
    );
    await readModel.applyChange(change(campaignId, [{ kind: 'survey_points', points: [{ unitCode: 'VP', pointsCenti: 2475 }] }]));
    expect(await readModel.getSurveyPoints(campaignId)).toEqual([
      { unitCode: 'SNV', pointsCenti: 2550 },
      { unitCode: 'VP', pointsCenti: 2475 },
    ]);
  });

  it('keeps the newest state of the unit workflow when its changes commit out of order, and still takes a late submission’s time', async () => {
    const { campaignId } = await newCampaign();
    const ownKey = (seq: number) => `${unitWorkflowId(campaignId, 'SNV')}#${seq}`;
    const overdue = change(campaignId, [unitState('SNV', { stage: 'appraisal_round_1', status: 'overdue', flags: ['submitted_late'] })], {
      unitCode: 'SNV',
      idempotencyKey: ownKey(4),
      at: '2020-02-01T02:00:00.000Z',
    });
    const submitted = change(campaignId, [unitState('SNV', { stage: 'appraisal_round_1', status: 'submitted', flags: ['submitted_late'] })], {
      unitCode: 'SNV',
      idempotencyKey: ownKey(3),
      at: '2020-01-20T02:00:00.000Z',
    });
    await readModel.applyChange(overdue);
    expect(await readModel.applyChange(submitted)).toEqual({ applied: true });
    const [unit] = (await createProgressRepository(database.db).listUnits(campaignId)).filter((row) => row.unitCode === 'SNV');
    expect(unit).toMatchObject({ stage: 'appraisal_round_1', workflowStatus: 'overdue' });
    expect(unit!.submittedAt?.toISOString()).toBe('2020-01-20T02:00:00.000Z');
    const rows = rowsOf<{ state_seq: number; latest: boolean }>(
      await database.db.execute(
        sql`select state_seq, last_activity_at = '2020-02-01T02:00:00Z'::timestamptz as latest from campaign_units where campaign_id = ${campaignId} and unit_code = 'SNV'`,
      ),
    );
    expect(rows).toEqual([{ state_seq: 4, latest: true }]);
  });

  it('lists unit states in Vietnamese alphabetical order', async () => {
    const { campaignId, definition } = await newCampaign();
    const names = (await createProgressRepository(database.db).listUnits(campaignId)).map((unit) => unit.nameVi);
    expect(names).toEqual(definition.units.map((unit) => unit.name_vi).sort(new Intl.Collator('vi').compare));
    expect(names[0]).toBe('Ban Quản lý các khu công nghiệp và chế xuất');
  });

  it('writes a change with 7,000 score rows in chunks under the 65,535-parameter cap', async () => {
    const { campaignId } = await newCampaign();
    const entries = Array.from({ length: 7_000 }, (_, index) => ({
      code: `9.${index}`,
      input: { kind: 'points' as const, pointsCenti: index },
      pointsCenti: index,
      note: '',
      evidence: [],
    }));
    await readModel.applyChange(change(campaignId, [{ kind: 'scores', unitCode: 'SNV', column: 'self', entries, setBy: 'unit:SNV', setAt: '2020-01-10T02:00:00.000Z' }]));
    const sheet = await readModel.getUnitScores(campaignId, 'SNV');
    expect(sheet).toHaveLength(7_000);
    expect(sheet[6_999]).toMatchObject({ subcriterionCode: '9.6999', self: { pointsCenti: 6_999 } });
  });
});

describe('progress counts', () => {
  it('counts by parts exactly what the table says of each unit, with and without a group filter', async () => {
    // One unit for every stage × workflow status × late flag × draft × answers (two answered, or one unanswered).
    const slug = `pc${randomBytes(5).toString('hex')}`;
    const base = hanoi2019Campaign({ slug });
    const groups = Object.keys(base.framework.groups);
    const extra = Array.from({ length: 192 - base.units.length }, (_, i) => ({ code: `X${i}`, name_vi: `Đơn vị ${i}`, group: groups[i % groups.length]! }));
    const definition = { ...base, units: [...base.units, ...extra] };
    const campaignId = `par-2019-${slug}`;
    await campaigns.insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });
    const units = definition.units.map((unit, i) => ({
      code: unit.code,
      stage: UNIT_STAGES[i % 6]!,
      status: UNIT_STATUSES[Math.floor(i / 6) % 4]!,
      late: Math.floor(i / 24) % 2 === 1,
      draft: Math.floor(i / 48) % 2 === 1,
      answered: Math.floor(i / 96) % 2 === 1,
    }));
    expect(units).toHaveLength(192);
    await readModel.applyChanges(
      units.map((unit) => change(campaignId, [unitState(unit.code, { stage: unit.stage, status: unit.status, flags: unit.late ? ['submitted_late'] : [] })])),
    );
    for (const unit of units) {
      if (unit.draft) {
        await database.db.execute(sql`insert into self_assessment_drafts (campaign_id, unit_code, draft, saved_by, saved_at)
          values (${campaignId}, ${unit.code}, '{}'::jsonb, 'test', now())`);
      }
      for (const id of unit.answered ? ['r1', 'r2'] : ['r1']) {
        await database.db.execute(sql`insert into explanation_requests
          (campaign_id, unit_code, id, subcriterion_code, area_code, question, requested_by, due_at, requested_at, answered_at)
          values (${campaignId}, ${unit.code}, ${id}, '1.1.1', '1', 'q', 'test', now(), now(), ${unit.answered ? sql`now()` : sql`null`})`);
      }
    }
    const progress = createProgressRepository(database.db);
    const tally = (rows: { stage: string; status: string }[]) => {
      const counted = new Map<string, number>();
      for (const row of rows) counted.set(`${row.stage}/${row.status}`, (counted.get(`${row.stage}/${row.status}`) ?? 0) + 1);
      return Object.fromEntries([...counted].sort());
    };
    const asTally = (counts: { stage: string; status: string; units: number }[]) =>
      Object.fromEntries(counts.map((count) => [`${count.stage}/${count.status}`, count.units]).sort());

    const everyone = await progress.countByStageAndStatus(campaignId);
    expect(asTally(everyone)).toEqual(tally(await progress.listUnits(campaignId)));
    // The mix reaches every progress status, so the comparison covers each way of counting one.
    expect(new Set(everyone.map((count) => count.status))).toEqual(new Set(['not_started', 'draft', 'submitted', 'late', 'overdue', 'done']));
    for (const group of ['department', 'district']) {
      expect(asTally(await progress.countByStageAndStatus(campaignId, { group }))).toEqual(tally(await progress.listUnits(campaignId, { group })));
    }
  });
});

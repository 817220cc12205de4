import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregationActivities, type AggregationActivities } from '../../activities/aggregation';
import { createResultsService } from '../../application/services/results';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { SYSTEM_ACTOR } from '../../domain/actors';
import { createReadModelRepository, SheetsChangedDuringPass, type ReadModelRepository } from '../../db/repositories/read-model';
import type { CampaignDefinition } from '../../domain/campaign';
import type { ReadModelChange, ReadModelEffect } from '../../domain/effects';
import { listSubcriteria, type Subcriterion } from '../../domain/framework';
import { computeResultRows, toCenti, type ScoreInput } from '../../domain/scoring';
import { hanoi2019Campaign, HANOI_2019_TIMELINE } from '../../seed/hanoi-2019';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { campaignUnits, results, unitSheets } from '../../db/schema';
import { and, eq } from 'drizzle-orm';

let database: TestDatabase;
let readModel: ReadModelRepository;
let campaigns: ReturnType<typeof createCampaignRepository>;
let activities: AggregationActivities;
let resultsService: ReturnType<typeof createResultsService>;

beforeAll(async () => {
  database = await createTestDatabase();
  readModel = createReadModelRepository(database.db);
  campaigns = createCampaignRepository(database.db);
  activities = createAggregationActivities({ readModel });
  resultsService = createResultsService({ campaigns, readModel });
});
afterAll(async () => {
  await database?.destroy();
});

/** Runs the activity the way a worker would, with an activity context. */
function aggregate(input: { campaignId: string; pass: number }) {
  return new MockActivityEnvironment().run(activities.aggregateResults, input);
}

let keys = 0;
function change(campaignId: string, effects: ReadModelEffect[]): ReadModelChange {
  keys += 1;
  return { idempotencyKey: `${campaignId}#agg${keys}`, campaignId, actor: 'test', action: 'test_step', at: '2020-03-01T01:00:00.000Z', effects };
}

/** The input that earns a sub-criterion its max under the sample rules: yes, 100 %, or the max points. */
function maxInput(sub: Subcriterion): { input: ScoreInput; pointsCenti: number } {
  const pointsCenti = toCenti(sub.max_points);
  switch (sub.rule.kind) {
    case 'boolean':
      return { input: { kind: 'boolean', value: true }, pointsCenti };
    case 'tiers':
    case 'ratio':
      return { input: { kind: 'percent', percentCenti: 10_000 }, pointsCenti };
    case 'manual':
      return { input: { kind: 'points', pointsCenti }, pointsCenti };
  }
}

function selfScores(definition: CampaignDefinition, unitCode: string, groupCode: string, keep: (sub: Subcriterion) => boolean): ReadModelEffect {
  const group = definition.framework.groups[groupCode]!;
  return {
    kind: 'scores',
    unitCode,
    column: 'self',
    entries: listSubcriteria(group)
      .map((location) => location.subcriterion)
      .filter(keep)
      .map((sub) => ({ code: sub.code, ...maxInput(sub), note: '', evidence: [] })),
    setBy: `unit:${unitCode}`,
    setAt: '2020-01-10T02:00:00.000Z',
  };
}

/**
 * Departments SNV, VP, BQLKCN and districts Ba Đình, Hoàn Kiếm, Tây Hồ (the first
 * three of each group in seed/hanoi-2019.json), scored so every total is known
 * by hand from seed/framework-2019-sample.json:
 *  - SNV: every sub-criterion at its max = 70,00 assessed (the sample's
 *    assessed_max_points) + survey 30,00 = 100,00.
 *  - VP: all max, but round 1 sets 1.1.1 (boolean, 1 point) to "no":
 *    69,00 + survey 25,50 = 94,50.
 *  - BQLKCN: all max, 70,00 + survey 24,50 = 94,50: ties with VP (rank 2, 2).
 *  - Ba Đình: never submitted (flag missing_submission), no scores:
 *    0 + survey 20,00 = 20,00.
 *  - Hoàn Kiếm: only the district's 15 boolean sub-criteria, all "yes":
 *    1.1.1, 2.2.1, 2.3.1, 2.3.2, 3.1.1, 3.3.2, 4.3.2, 5.4.1, 6.3.1, 6.3.2 at
 *    1 point and 4.1.1, 4.2.1, 5.1.1, 5.2.1, 7.3.1 at 2 points = 10 + 10 =
 *    20,00 assessed + survey 28,00 = 48,00.
 *  - Tây Hồ: all max, no survey result: 70,00 (survey missing, counts 0).
 */
async function seedScoredCampaign(): Promise<{ campaignId: string; definition: CampaignDefinition }> {
  const slug = `ag${randomBytes(5).toString('hex')}`;
  const definition = hanoi2019Campaign({ slug, unitsPerGroup: 3 });
  const campaignId = `par-2019-${slug}`;
  await campaigns.insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });
  const all = () => true;
  await readModel.applyChange(
    change(campaignId, [
      selfScores(definition, 'SNV', 'department', all),
      selfScores(definition, 'VP', 'department', all),
      selfScores(definition, 'BQLKCN', 'department', all),
      selfScores(definition, 'QUAN_HOAN_KIEM', 'district', (sub) => sub.rule.kind === 'boolean'),
      selfScores(definition, 'QUAN_TAY_HO', 'district', all),
      {
        kind: 'scores',
        unitCode: 'VP',
        column: 'round1',
        entries: [{ code: '1.1.1', input: { kind: 'boolean', value: false }, pointsCenti: 0, note: 'Không có kế hoạch CCHC', evidence: [] }],
        setBy: 'appraiser:SNV',
        setAt: '2020-02-10T02:00:00.000Z',
      },
      {
        kind: 'unit_state',
        unitCode: 'QUAN_BA_DINH',
        stage: 'appraised',
        status: 'done',
        flags: ['missing_submission'],
        selfAssessmentDue: HANOI_2019_TIMELINE.self_assessment_due,
        explanationsDue: HANOI_2019_TIMELINE.explanations_due,
      },
      {
        kind: 'survey_points',
        points: [
          { unitCode: 'SNV', pointsCenti: 3000 },
          { unitCode: 'VP', pointsCenti: 2550 },
          { unitCode: 'BQLKCN', pointsCenti: 2450 },
          { unitCode: 'QUAN_BA_DINH', pointsCenti: 2000 },
          { unitCode: 'QUAN_HOAN_KIEM', pointsCenti: 2800 },
        ],
      },
    ]),
  );
  return { campaignId, definition };
}

const summaryOf = (rows: { unitCode: string; rank: number; totalCenti: number }[]) => rows.map(({ unitCode, rank, totalCenti }) => ({ unitCode, rank, totalCenti }));

describe('aggregating results with the scoring engine', () => {
  it('computes hand-checked totals and ranks each group on its own, equal totals sharing a rank', async () => {
    const { campaignId } = await seedScoredCampaign();
    expect(await aggregate({ campaignId, pass: 1 })).toEqual({
      pass: 1,
      units: 6,
      groups: [
        { code: 'department', ranked: 3 },
        { code: 'district', ranked: 3 },
      ],
    });

    const results = await readModel.getResults(campaignId);
    expect(results).toMatchObject({ pass: 1, published: false });
    const [departments, districts] = results!.groups;
    expect(departments!.code).toBe('department');
    // Ties: 1, 2, 2; equal ranks in Vietnamese name order (Ban … before Văn …).
    expect(summaryOf(departments!.units)).toEqual([
      { unitCode: 'SNV', rank: 1, totalCenti: 10_000 },
      { unitCode: 'BQLKCN', rank: 2, totalCenti: 9_450 },
      { unitCode: 'VP', rank: 2, totalCenti: 9_450 },
    ]);
    expect(summaryOf(districts!.units)).toEqual([
      { unitCode: 'QUAN_TAY_HO', rank: 1, totalCenti: 7_000 },
      { unitCode: 'QUAN_HOAN_KIEM', rank: 2, totalCenti: 4_800 },
      { unitCode: 'QUAN_BA_DINH', rank: 3, totalCenti: 2_000 },
    ]);

    const byCode = new Map([...departments!.units, ...districts!.units].map((row) => [row.unitCode, row]));
    expect(byCode.get('SNV')).toMatchObject({ assessedCenti: 7_000, surveyCenti: 3_000, bonusCenti: 0, penaltyCenti: 0, indexCenti: 10_000, classification: null, flags: [] });
    expect(byCode.get('VP')).toMatchObject({ assessedCenti: 6_900, surveyCenti: 2_550, indexCenti: 9_450 });
    expect(byCode.get('QUAN_HOAN_KIEM')).toMatchObject({ assessedCenti: 2_000, surveyCenti: 2_800, flags: ['unscored_items'] });
    expect(byCode.get('QUAN_TAY_HO')).toMatchObject({ assessedCenti: 7_000, surveyCenti: null, flags: ['survey_missing'] });
    // The workflow's flag stays next to the engine's.
    expect(byCode.get('QUAN_BA_DINH')).toMatchObject({ assessedCenti: 0, surveyCenti: 2_000, flags: ['missing_submission', 'unscored_items'] });

    const vp = await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'VP');
    expect(vp.explanation).toMatchObject({ totalCenti: 9_450, rank: 2, assessed: { points: { self: 7_000, round1: 0, final: 6_900 } } });
    expect(vp.explanation.lines_vi).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Tiêu chí thành phần 1.1.1'),
        'Tổng điểm: 94,50 / 100,00',
        'Chỉ số CCHC: 94,50%',
        'Xếp hạng: 2',
      ]),
    );
    const line111 = vp.explanation.lines_vi.find((line) => line.startsWith('Tiêu chí thành phần 1.1.1'));
    expect(line111).toContain('Không có kế hoạch CCHC');
    expect(line111).toContain('điểm cuối cùng 0,00 (lấy từ Thẩm định vòng 1)');
  });

  it('re-running the same pass leaves one row per unit with the same numbers', async () => {
    const { campaignId } = await seedScoredCampaign();
    await aggregate({ campaignId, pass: 1 });
    const first = await readModel.getResults(campaignId, 1);
    await aggregate({ campaignId, pass: 1 });
    const again = await readModel.getResults(campaignId, 1);
    const numbers = (result: typeof first) =>
      result!.groups.flatMap((group) => group.units.map(({ computedAt: _computedAt, ...rest }) => rest));
    expect(numbers(again)).toEqual(numbers(first));
    expect(numbers(again)).toHaveLength(6);
  });

  it('keeps each pass, serves the latest by default, and publication freezes the latest pass', async () => {
    const { campaignId } = await seedScoredCampaign();
    await aggregate({ campaignId, pass: 1 });
    // The council returned VP; round 2 restores 1.1.1 and VP overtakes nobody but leaves the tie.
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'scores',
          unitCode: 'VP',
          column: 'round2',
          entries: [{ code: '1.1.1', input: { kind: 'boolean', value: true }, pointsCenti: 100, note: 'Đã bổ sung kế hoạch', evidence: [] }],
          setBy: 'appraiser:SNV',
          setAt: '2020-04-01T02:00:00.000Z',
        },
      ]),
    );
    await aggregate({ campaignId, pass: 2 });
    const latest = await readModel.getResults(campaignId);
    expect(latest!.pass).toBe(2);
    expect(summaryOf(latest!.groups[0]!.units)).toEqual([
      { unitCode: 'SNV', rank: 1, totalCenti: 10_000 },
      { unitCode: 'VP', rank: 2, totalCenti: 9_550 },
      { unitCode: 'BQLKCN', rank: 3, totalCenti: 9_450 },
    ]);
    expect((await readModel.getResultSheet(campaignId, 'VP', 1))!.totalCenti).toBe(9_450);
    // Pass 1 still explains itself with the sheet it was computed from: round 2 came after it.
    const passOne = (await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'VP', 1)).explanation;
    expect(passOne).toMatchObject({ totalCenti: 9_450, assessed: { points: { round1: 0, round2: 0, final: 6_900 } } });
    expect(passOne.lines_vi.join('\n')).not.toContain('Đã bổ sung kế hoạch');
    const passTwo = (await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'VP', 2)).explanation;
    expect(passTwo).toMatchObject({ totalCenti: 9_550, assessed: { points: { round2: 100, final: 7_000 } } });
    expect(passTwo.lines_vi.join('\n')).toContain('Đã bổ sung kế hoạch');

    await readModel.applyChange({ ...change(campaignId, [{ kind: 'publication', decisionNumber: '1752/QĐ-UBND', decisionDate: '2020-04-29' }]), at: '2020-04-29T03:00:00.000Z' });
    expect(await campaigns.findCampaign(campaignId)).toMatchObject({
      publishedDecisionNumber: '1752/QĐ-UBND',
      publishedDecisionDate: '2020-04-29',
      publishedAt: new Date('2020-04-29T03:00:00.000Z'),
    });
    expect((await readModel.getResults(campaignId, 2))!.published).toBe(true);
    expect((await readModel.getResults(campaignId, 1))!.published).toBe(false);

    // Published results are immutable: a late re-run of pass 2 changes nothing.
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'scores',
          unitCode: 'SNV',
          column: 'round2',
          entries: [{ code: '1.1.1', input: { kind: 'boolean', value: false }, pointsCenti: 0, note: 'muộn', evidence: [] }],
          setBy: 'appraiser:SNV',
          setAt: '2020-05-01T02:00:00.000Z',
        },
      ]),
    );
    await aggregate({ campaignId, pass: 2 });
    expect((await readModel.getResultSheet(campaignId, 'SNV', 2))!.totalCenti).toBe(10_000);
  });

  it('serves, as stored, the explanation of a pass computed before results kept a frozen sheet', async () => {
    const { campaignId } = await seedScoredCampaign();
    await aggregate({ campaignId, pass: 1 });
    const rebuilt = (await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'SNV', 1)).explanation;
    // Before migration 0008 a pass stored the whole explanation and no sheet.
    const stored = { ...rebuilt, lines_vi: ['Giải trình lưu trước khi có bảng điểm cố định'] };
    await database.db
      .update(results)
      .set({ sheet: null, explanation: stored })
      .where(and(eq(results.campaignId, campaignId), eq(results.unitCode, 'SNV')));
    expect((await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'SNV', 1)).explanation).toEqual(stored);
  });

  it('writes nothing when marks change between the load and the write of a pass; the retry scores the new marks', async () => {
    const { campaignId } = await seedScoredCampaign();
    const input = await readModel.loadAggregationInput(campaignId);
    const rows = computeResultRows(input!, campaignId, 1, new Date('2020-03-02T01:00:00Z'));
    const late = change(campaignId, [
      {
        kind: 'scores',
        unitCode: 'SNV',
        column: 'round1',
        entries: [{ code: '1.1.1', input: { kind: 'boolean', value: false }, pointsCenti: 0, note: 'Thẩm định lại', evidence: [] }],
        setBy: 'appraiser:SNV',
        setAt: '2020-03-01T05:00:00.000Z',
      },
    ]);
    await readModel.applyChange(late);
    // The same change again (a retried projection) rebuilds nothing: the sheet stays at the seed's version plus one.
    expect(await readModel.applyChange(late)).toEqual({ applied: false });
    const [sheet] = await database.db
      .select({ version: unitSheets.version })
      .from(unitSheets)
      .where(and(eq(unitSheets.campaignId, campaignId), eq(unitSheets.unitCode, 'SNV')));
    expect(sheet).toEqual({ version: 2 });
    await expect(readModel.replaceResults(campaignId, 1, rows.ok ? rows.value : [])).rejects.toBeInstanceOf(SheetsChangedDuringPass);
    expect(await readModel.getResults(campaignId)).toBeNull();

    await aggregate({ campaignId, pass: 1 });
    const snv = await readModel.getResultSheet(campaignId, 'SNV');
    expect(snv).toMatchObject({ assessedCenti: 6_900, totalCenti: 9_900 });
    expect((await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'SNV')).explanation.lines_vi.join('\n')).toContain('Thẩm định lại');
  });

  it('scores units whose marks have no sheet yet (stored before migration 0012) as it scores the others', async () => {
    const { campaignId } = await seedScoredCampaign();
    await aggregate({ campaignId, pass: 1 });
    await database.db.delete(unitSheets).where(eq(unitSheets.campaignId, campaignId));
    await aggregate({ campaignId, pass: 2 });
    const figures = async (pass: number) =>
      (await readModel.getResults(campaignId, pass))!.groups.flatMap((group) => group.units.map(({ computedAt: _at, ...rest }) => rest));
    expect(await figures(2)).toEqual(await figures(1));
    expect(await figures(2)).toHaveLength(6);
    expect((await resultsService.explanation(SYSTEM_ACTOR, campaignId, 'VP', 2)).explanation).toMatchObject({ totalCenti: 9_450 });
  });

  it('refuses, without retrying, a unit whose group the framework lacks, rather than leaving it out of the ranking', async () => {
    const { campaignId } = await seedScoredCampaign();
    await database.db.insert(campaignUnits).values({ campaignId, unitCode: 'LAC_NHOM', nameVi: 'Đơn vị lạc nhóm', groupCode: 'commune' });
    await expect(aggregate({ campaignId, pass: 1 })).rejects.toMatchObject({
      type: 'AggregationInputInvalid',
      nonRetryable: true,
      message: expect.stringContaining('"commune"'),
    });
    expect(await readModel.getResults(campaignId)).toBeNull();
  });

  it('refuses, without retrying, scores whose points disagree with the framework rule and writes nothing', async () => {
    const { campaignId } = await seedScoredCampaign();
    await readModel.applyChange(
      change(campaignId, [
        {
          kind: 'scores',
          unitCode: 'SNV',
          column: 'round1',
          entries: [{ code: '1.1.1', input: { kind: 'boolean', value: false }, pointsCenti: 100, note: '', evidence: [] }],
          setBy: 'appraiser:SNV',
          setAt: '2020-02-10T02:00:00.000Z',
        },
      ]),
    );
    await expect(aggregate({ campaignId, pass: 1 })).rejects.toMatchObject({
      type: 'AggregationInputInvalid',
      nonRetryable: true,
      message: expect.stringContaining('1.1.1'),
    });
    expect(await readModel.getResults(campaignId)).toBeNull();
  });
});

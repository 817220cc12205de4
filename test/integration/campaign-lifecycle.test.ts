import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors';
import { toVietnamIso } from '../../domain/deadlines';
import type { FrameworkGroup } from '../../domain/framework';
import { surveyWorkflowId, unitWorkflowId } from '../../domain/units';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createProgressRepository } from '../../db/repositories/progress';
import { createReadModelRepository } from '../../db/repositories/read-model';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import {
  answerExplanationUpdate,
  appraiseAreaUpdate,
  closeFieldworkUpdate,
  councilDecisionUpdate,
  moveDeadlineUpdate,
  openFieldworkUpdate,
  progressQuery,
  publishGuidanceUpdate,
  publishResultsUpdate,
  recordKickoffUpdate,
  reviewSurveyPlanUpdate,
  submitGuidanceUpdate,
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  unitProgressQuery,
} from '../../contracts/messages';
import { bringForward, farTimeline } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { areaAppraisal, fullSelfAssessment, subcriteriaOf } from '../../seed/scores';
import { bearerAs, SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually, expectRejected, mapWithConcurrency } from './helpers/wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };
const institute: Actor = { id: 'vien-ktxh', role: 'institute' };
const council: Actor = { id: 'hd-thuky', role: 'council' };
const contributor = (code: string): Actor => ({ id: `${code}-thamdinh`, role: 'contributor', unitCode: code });
const unitStaff = (code: string): Actor => ({ id: `${code}-canbo`, role: 'unit', unitCode: code });
const document = { name: 'huong-dan.pdf', ref: 'file-hd' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('a whole campaign', () => {
  it(
    'runs the 52-unit Hanoi campaign from guidance to publication with a late unit, a missing unit, an explanation round, a council return and a worker restart',
    async () => {
      // Every deadline months away: the test moves each one through the campaign when it is ready for it to pass.
      const slug = uniqueSlug();
      const definition = hanoi2019Campaign({ slug, timeline: farTimeline() });
      const tomorrow = () => toVietnamIso(Date.now() + 86_400_000);
      const campaignId = `par-2019-${slug}`;
      const created = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
      expect(created.statusCode).toBe(201);

      const campaign = stack.client.workflow.getHandle(campaignId);
      const unitHandle = (code: string) => stack.client.workflow.getHandle(unitWorkflowId(campaignId, code));
      const survey = stack.client.workflow.getHandle(surveyWorkflowId(campaignId));
      const readModel = createReadModelRepository(stack.database.db);
      const groupOf = (code: string): FrameworkGroup => definition.framework.groups[definition.units.find((u) => u.code === code)!.group]!;
      const ownerOf = (area: string) => definition.contributors.find((c) => c.areas_owned.includes(area))!.unit;

      // ---- Guidance: eight of nine contributors send theirs; TTTP is missing at publication.
      const senders = definition.contributors.filter((c) => c.unit !== 'TTTP');
      for (const sender of senders) {
        await campaign.executeUpdate(submitGuidanceUpdate, {
          args: [{ actor: contributor(sender.unit), contributor: sender.unit, areas: sender.areas_owned, document, summary: '' }],
        });
      }
      await expectRejected(
        campaign.executeUpdate(submitGuidanceUpdate, { args: [{ actor: contributor('STP'), contributor: 'STP', areas: ['1'], document, summary: '' }] }),
        'forbidden',
      );
      await expectRejected(campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: contributor('STP'), document, note: '' }] }), 'forbidden');
      const afterGuidance = await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document, note: 'Hướng dẫn tổng hợp' }] });
      expect(afterGuidance.guidance.missingAtPublication).toEqual(['TTTP']);
      await campaign.executeUpdate(recordKickoffUpdate, { args: [{ actor: admin, date: '2019-12-06', note: 'Hội nghị triển khai' }] });

      // ---- Survey track runs beside the main track.
      await survey.executeUpdate(submitSurveyPlanUpdate, { args: [{ actor: institute, document: { name: 'ke-hoach-251.pdf', ref: 'file-251' }, summary: '' }] });
      await survey.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor: admin, approve: true, reason: '' }] });
      await survey.executeUpdate(openFieldworkUpdate, { args: [{ actor: institute }] });

      await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === 52, 60_000, 'all unit workflows started');

      // ---- Self-assessment: 50 units submit on time, with a worker restart half-way.
      const LATE = 'SDL';
      const MISSING = 'BDT';
      const onTime = definition.units.filter((u) => u.code !== LATE && u.code !== MISSING).map((u) => u.code);
      const submit = (code: string) =>
        unitHandle(code).executeUpdate(submitSelfAssessmentUpdate, {
          args: [{ actor: unitStaff(code), scores: fullSelfAssessment(groupOf(code)), approvedBy: `Giám đốc ${code}` }],
        });
      await expectRejected(
        unitHandle('STP').executeUpdate(submitSelfAssessmentUpdate, { args: [{ actor: unitStaff('SYT'), scores: fullSelfAssessment(groupOf('STP')), approvedBy: 'x' }] }),
        'forbidden',
      );
      const incomplete = await expectRejected(
        unitHandle('STP').executeUpdate(submitSelfAssessmentUpdate, {
          args: [{ actor: unitStaff('STP'), scores: fullSelfAssessment(groupOf('STP')).slice(1), approvedBy: 'x' }],
        }),
        'invalid',
      );
      expect(JSON.stringify(incomplete.details)).toContain('1.1.1');
      await mapWithConcurrency(onTime.slice(0, 25), 6, submit);
      await stack.restartWorker();
      await mapWithConcurrency(onTime.slice(25), 6, submit);

      // ---- Sở Nội vụ brings the deadline forward to now: the late and the missing units are overdue, in the read model and in visibility.
      await bringForward(campaign, ['guidance_due', 'self_assessment_due']);
      await eventually(
        async () => (await createProgressRepository(stack.database.db).listUnits(campaignId, { stage: 'self_assessment', status: 'overdue' })).length === 2,
        60_000,
        'two overdue units in the read model',
      );
      const overdueInVisibility = await eventually(async () => {
        const found: string[] = [];
        for await (const run of stack.client.workflow.list({
          query: `CampaignId = '${campaignId}' AND Stage = 'self_assessment' AND UnitStatus = 'overdue'`,
        })) found.push(run.workflowId);
        return found.length === 2 ? found.sort() : undefined;
      }, 30_000, 'visibility to list the overdue units');
      expect(overdueInVisibility).toEqual([unitWorkflowId(campaignId, MISSING), unitWorkflowId(campaignId, LATE)].sort());
      await expectRejected(submit(LATE), 'past_deadline');
      await expectRejected(
        campaign.executeUpdate(moveDeadlineUpdate, { args: [{ actor: contributor('STP'), key: 'self_assessment_due', deadline: tomorrow(), unitCode: LATE, reason: 'x' }] }),
        'forbidden',
      );
      await campaign.executeUpdate(moveDeadlineUpdate, {
        args: [{ actor: admin, key: 'self_assessment_due', deadline: tomorrow(), unitCode: LATE, reason: 'Sở Du lịch xin gia hạn do thay đổi lãnh đạo' }],
      });
      await eventually(async () => (await unitHandle(LATE).query(unitProgressQuery)).status === 'pending', 20_000, 'extension to reopen the form');
      await submit(LATE);

      // ---- Appraisal round 1: each area by its owner; STP's area 2 is lowered and explained.
      const appraised = onTime.concat(LATE);
      await expectRejected(
        unitHandle('SNV').executeUpdate(appraiseAreaUpdate, { args: [{ actor: contributor('STP'), round: 1, areaCode: '1', scores: areaAppraisal(groupOf('SNV'), '1'), explanationRequests: [] }] }),
        'forbidden',
      );
      const [changedCode] = subcriteriaOf(groupOf('STP'), '2').map((sub) => sub.code);
      await expectRejected(
        unitHandle('STP').executeUpdate(appraiseAreaUpdate, {
          args: [{ actor: contributor('STP'), round: 1, areaCode: '2', scores: areaAppraisal(groupOf('STP'), '2', { [changedCode!]: '' }), explanationRequests: [] }],
        }),
        'invalid',
      );
      const jobs = appraised.flatMap((code) => groupOf(code).areas.map((area) => ({ code, area: area.code })));
      await mapWithConcurrency(jobs, 8, async ({ code, area }) => {
        const explain = code === 'STP' && area === '2';
        return unitHandle(code).executeUpdate(appraiseAreaUpdate, {
          args: [
            {
              actor: contributor(ownerOf(area)),
              round: 1,
              areaCode: area,
              scores: areaAppraisal(groupOf(code), area, explain ? { [changedCode!]: 'Không có văn bản kiểm chứng ban hành đúng hạn' } : {}),
              explanationRequests: explain ? [{ code: changedCode!, question: 'Đề nghị giải trình thời điểm ban hành văn bản' }] : [],
            },
          ],
        });
      });

      // ---- Explanation round for STP, then round 2 fixes area 2.
      const stpExplaining = await eventually(async () => {
        const progress = await unitHandle('STP').query(unitProgressQuery);
        return progress.stage === 'explanations' ? progress : undefined;
      }, 30_000, 'STP in the explanation stage');
      const request = stpExplaining.explanationRequests[0]!;
      await expectRejected(
        unitHandle('STP').executeUpdate(answerExplanationUpdate, { args: [{ actor: unitStaff('SYT'), requestId: request.id, note: 'x', evidence: [] }] }),
        'forbidden',
      );
      await unitHandle('STP').executeUpdate(answerExplanationUpdate, {
        args: [{ actor: unitStaff('STP'), requestId: request.id, note: 'Văn bản ban hành ngày 20/12, kèm bản chụp', evidence: [{ name: 'vb.pdf', ref: 'file-vb' }] }],
      });
      await eventually(async () => (await unitHandle('STP').query(unitProgressQuery)).stage === 'appraisal_round_2', 30_000, 'STP in round 2');
      const restore = { actor: contributor('STP'), round: 2 as const, areaCode: '2', explanationRequests: [] };
      await expectRejected(
        unitHandle('STP').executeUpdate(appraiseAreaUpdate, { args: [{ ...restore, scores: areaAppraisal(groupOf('STP'), '2') }] }),
        'invalid',
      );
      await unitHandle('STP').executeUpdate(appraiseAreaUpdate, {
        args: [{ ...restore, scores: areaAppraisal(groupOf('STP'), '2', {}, 'Giải trình hợp lý: văn bản ban hành đúng hạn') }],
      });

      // ---- Survey results: checked (every unit covered, within the max) and accepted.
      await survey.executeUpdate(closeFieldworkUpdate, { args: [{ actor: institute }] });
      const surveyPoints = definition.units.map((unit, index) => ({ unitCode: unit.code, pointsCenti: 2000 + index * 10 }));
      await expectRejected(survey.executeUpdate(submitSurveyResultsUpdate, { args: [{ actor: institute, points: surveyPoints.slice(1), source: '' }] }), 'invalid');
      await survey.executeUpdate(submitSurveyResultsUpdate, { args: [{ actor: institute, points: surveyPoints, source: 'test' }] });

      // ---- The appraisal cut-off, brought forward to now, closes the missing unit; then aggregation and the council.
      await bringForward(campaign, ['appraisal_round_1_due']);
      await eventually(async () => (await campaign.query(progressQuery)).stage === 'council', 90_000, 'the results before the council');
      await expectRejected(
        campaign.executeUpdate(councilDecisionUpdate, { args: [{ actor: council, decision: 'approve', membersPresent: 8, votesFor: 5, note: '', returns: [] }] }),
        'invalid',
      );
      await expectRejected(
        campaign.executeUpdate(councilDecisionUpdate, { args: [{ actor: admin, decision: 'approve', membersPresent: 8, votesFor: 8, note: '', returns: [] }] }),
        'forbidden',
      );
      const beforePublication = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results`, headers: await bearerAs('unit', 'STP') });
      expect(beforePublication.statusCode).toBe(403);
      const forCouncil = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results`, headers: await bearerAs('council') });
      expect(forCouncil.json()).toMatchObject({ pass: 1, published: false });
      await campaign.executeUpdate(councilDecisionUpdate, {
        args: [{ actor: council, decision: 'return', membersPresent: 9, votesFor: 7, note: '', returns: [{ unitCode: 'SYT', areas: ['3'], reason: 'Điểm TTHC chưa khớp báo cáo' }] }],
      });
      await eventually(async () => (await unitHandle('SYT').query(unitProgressQuery)).stage === 'appraisal_round_2', 30_000, 'SYT reopened');
      expect((await campaign.query(progressQuery)).aggregationPass).toBe(1);
      const [lowered] = subcriteriaOf(groupOf('SYT'), '3').map((sub) => sub.code);
      await unitHandle('SYT').executeUpdate(appraiseAreaUpdate, {
        args: [{ actor: contributor('VP'), round: 2, areaCode: '3', scores: areaAppraisal(groupOf('SYT'), '3', { [lowered!]: 'Theo ý kiến Hội đồng' }), explanationRequests: [] }],
      });
      await eventually(async () => {
        const progress = await campaign.query(progressQuery);
        return progress.stage === 'council' && progress.aggregationPass === 2;
      }, 60_000, 'the second aggregation');
      // Reopened means reopened: the second aggregation comes after SYT's round-2 appraisal, never before it.
      // The query answers from the workflow's state, which is ahead of its record in the event log.
      const logged = await eventually(async () => {
        const events = await createCampaignRepository(stack.database.db).listEvents(campaignId);
        return events.filter((event) => event.action === 'results_aggregated').length >= 2 ? events : undefined;
      }, 30_000, 'the second aggregation in the event log');
      const aggregations = logged.filter((event) => event.action === 'results_aggregated');
      const sytFinished = logged.filter((event) => event.unitCode === 'SYT' && event.action === 'appraisal_finished');
      expect(aggregations).toHaveLength(2);
      expect(sytFinished).toHaveLength(2);
      expect(aggregations[1]!.id).toBeGreaterThan(sytFinished[1]!.id);
      await campaign.executeUpdate(councilDecisionUpdate, { args: [{ actor: council, decision: 'approve', membersPresent: 9, votesFor: 9, note: '', returns: [] }] });
      await campaign.executeUpdate(publishResultsUpdate, { args: [{ actor: admin, decisionNumber: '1752/QĐ-UBND', decisionDate: '2020-04-29' }] });
      await campaign.result();

      // ---- Every unit workflow closes; the read model and the event log tell the whole story once.
      await eventually(async () => {
        const units = await createProgressRepository(stack.database.db).listUnits(campaignId);
        return units.every((unit) => unit.stage === 'published') ? units : undefined;
      }, 60_000, 'every unit published');
      const results = (await readModel.getResults(campaignId))!;
      expect(results).toMatchObject({ pass: 2, published: true });
      const byGroup = Object.fromEntries(results.groups.map((group) => [group.code, group.units]));
      expect(byGroup.department).toHaveLength(22);
      expect(byGroup.district).toHaveLength(30);
      for (const units of Object.values(byGroup)) {
        for (const unit of units) expect(unit.totalCenti).toBe(unit.assessedCenti + (unit.surveyCenti ?? 0));
        for (let i = 1; i < units.length; i++) {
          const [better, worse] = [units[i - 1]!, units[i]!];
          expect(better.rank).toBeLessThanOrEqual(worse.rank);
          expect(better.totalCenti).toBeGreaterThanOrEqual(worse.totalCenti);
          if (better.totalCenti === worse.totalCenti) expect(better.rank).toBe(worse.rank);
        }
      }
      const resultOf = (code: string) => results.groups.flatMap((group) => group.units).find((unit) => unit.unitCode === code)!;
      const loweredMax = subcriteriaOf(groupOf('SYT'), '3')[0]!.max_points * 100;
      expect(resultOf('SNV').assessedCenti).toBe(7000);
      expect(resultOf('STP').assessedCenti).toBe(7000); // round 2 restored what round 1 lowered
      expect(resultOf('SYT').assessedCenti).toBe(7000 - loweredMax);
      expect(resultOf(MISSING).assessedCenti).toBe(0);
      expect(resultOf(MISSING).totalCenti).toBe(resultOf(MISSING).surveyCenti);

      const states = await createProgressRepository(stack.database.db).listUnits(campaignId);
      const flagsOf = (code: string) => states.find((unit) => unit.unitCode === code)!.flags;
      expect(flagsOf(MISSING)).toContain('missing_submission');
      expect(flagsOf(LATE)).toContain('submitted_late');
      expect(flagsOf('SYT')).toContain('returned_by_council');
      expect(flagsOf('SNV')).toEqual([]);

      // The worker restart and activity retries duplicated nothing.
      const events = await createCampaignRepository(stack.database.db).listEvents(campaignId);
      const count = (action: string, unitCode?: string | null) =>
        events.filter((event) => event.action === action && (unitCode === undefined || event.unitCode === unitCode)).length;
      expect(count('unit_opened')).toBe(52);
      expect(count('self_assessment_submitted')).toBe(51);
      for (const code of appraised) expect(count('self_assessment_submitted', code)).toBe(1);
      expect(count('results_published')).toBe(53); // 52 units and the campaign
      expect(count('guidance_submitted')).toBe(8);
      expect(count('deadline_extension_granted', LATE)).toBe(1);
      expect(count('council_returned')).toBe(1);
      expect(count('self_assessment_missing', MISSING)).toBe(1);
      const extension = events.find((event) => event.action === 'deadline_extension_granted')!;
      expect(extension.reason).toContain('gia hạn');
      expect(extension.actor).toBe('admin:SNV/snv-chuyenvien');

      // The same numbers through the API: the public ranking, one unit's explanation, the results workbook.
      const publicView = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results`, headers: await bearerAs('public') });
      expect(publicView.statusCode).toBe(200);
      const publicSyt = (publicView.json().groups as { units: { unit_code: string; total_centi: number; rank: number }[] }[])
        .flatMap((group) => group.units)
        .find((unit) => unit.unit_code === 'SYT')!;
      expect(publicSyt).toMatchObject({ total_centi: resultOf('SYT').totalCenti, rank: resultOf('SYT').rank });
      // Publication opens the approved pass, not the first one the council sent back.
      for (const headers of [{}, await bearerAs('public'), await bearerAs('unit', 'SYT')]) {
        expect((await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results?pass=1`, headers })).statusCode).toBe(403);
        expect((await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results.xlsx?pass=1`, headers })).statusCode).toBe(403);
      }
      expect((await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results?pass=1`, headers: await bearerAs('council') })).statusCode).toBe(200);
      const explanation = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/units/SYT/explanation`, headers: await bearerAs('unit', 'SYT') });
      expect(explanation.statusCode).toBe(200);
      expect(JSON.stringify(explanation.json().explanation)).toContain(lowered!);
      const workbookResponse = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/results.xlsx`, headers: await bearerAs('public') });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(workbookResponse.rawPayload as unknown as ArrayBuffer);
      const rankingSheet = workbook.worksheets.find((sheet) => sheet.name === 'Sở, cơ quan ngang sở')!;
      const sntRow = rankingSheet.getRows(1, rankingSheet.rowCount)!.find((row) => row.getCell(2).value === 'Sở Nội vụ')!;
      expect(sntRow.getCell(6).value).toBe(resultOf('SNV').totalCenti / 100);
      expect(sntRow.getCell(8).value).toBe(resultOf('SNV').rank);
      expect(workbook.worksheets.filter((sheet) => sheet.name.startsWith('Giải trình'))).toHaveLength(52);

      await recordHistories({
        'campaign-lifecycle': campaign,
        'survey-lifecycle': survey,
        'unit-explanation-round': unitHandle('STP'),
        'unit-council-return': unitHandle('SYT'),
        'unit-late-with-extension': unitHandle(LATE),
        'unit-missing': unitHandle(MISSING),
      });
    },
    480_000,
  );
});

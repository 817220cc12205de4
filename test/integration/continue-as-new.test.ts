import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Actor } from '../../domain/actors';
import { surveyWorkflowId, unitWorkflowId } from '../../domain/units';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createReadModelRepository } from '../../db/repositories/read-model';
import type { RunningDevServer } from '../../runtime/dev-server';
import { ensureSearchAttributes } from '../../runtime/search-attributes';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment } from '../../seed/scores';
import {
  appraiseAreaUpdate,
  closeFieldworkUpdate,
  councilDecisionUpdate,
  openFieldworkUpdate,
  progressQuery,
  publishGuidanceUpdate,
  publishResultsUpdate,
  reviewSurveyPlanUpdate,
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
} from '../../contracts/messages';
import { startDevServerOnFreePort } from './global-setup';
import { farTimeline } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually, mapWithConcurrency } from './helpers/wait';

/**
 * A campaign on a server that suggests continue-as-new after 40 history events,
 * so the campaign and unit workflows continue-as-new many times mid-stage, as a
 * months-long campaign would. It must end exactly as without it.
 */
const admin: Actor = { id: 'snv', role: 'admin', unitCode: 'SNV' };
const institute: Actor = { id: 'vien', role: 'institute' };
const council: Actor = { id: 'hoidong', role: 'council' };
const document = { name: 'vb.pdf', ref: 'file' };

let server: RunningDevServer;
let stack: TestStack;
beforeAll(async () => {
  server = await startDevServerOnFreePort({
    executable: inject('temporalCli'),
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 },
  });
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  await connection.close();
  stack = await startStack({ temporalAddress: server.address });
});
afterAll(async () => {
  await stack?.stop();
  await server?.stop();
});

async function runsOf(client: Client, workflowId: string) {
  const runs = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.status.name);
  return runs;
}

/** The first run of a workflow (it continued as new) and its last (started by a continue-as-new), for the replay test. */
async function firstAndLastRuns(client: Client, workflowId: string) {
  const runs = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run);
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const [first, last] = [runs[0]!, runs[runs.length - 1]!];
  expect([first.status.name, last.status.name]).toEqual(['CONTINUED_AS_NEW', 'COMPLETED']);
  return { first: client.workflow.getHandle(workflowId, first.runId), last: client.workflow.getHandle(workflowId, last.runId) };
}

describe('continue-as-new', () => {
  it('carries a campaign and its units across many runs to publication without losing or repeating a step', async () => {
    const slug = uniqueSlug();
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2, timeline: farTimeline() });
    const campaignId = `par-2019-${slug}`;
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);
    const campaign = stack.client.workflow.getHandle(campaignId);
    const survey = stack.client.workflow.getHandle(surveyWorkflowId(campaignId));
    const unit = (code: string) => stack.client.workflow.getHandle(unitWorkflowId(campaignId, code));
    const groupOf = (code: string) => definition.framework.groups[definition.units.find((u) => u.code === code)!.group]!;
    // With two units per group only SNV and VP remain contributors; Sở Nội vụ appraises the other areas.
    const appraiserOf = (area: string): Actor => {
      const owner = definition.contributors.find((c) => c.areas_owned.includes(area))?.unit;
      return owner ? { id: owner, role: 'contributor', unitCode: owner } : admin;
    };
    const codes = definition.units.map((u) => u.code);

    await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document, note: '' }] });
    await survey.executeUpdate(submitSurveyPlanUpdate, { args: [{ actor: institute, document, summary: '' }] });
    await survey.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor: admin, approve: true, reason: '' }] });
    await survey.executeUpdate(openFieldworkUpdate, { args: [{ actor: institute }] });
    await survey.executeUpdate(closeFieldworkUpdate, { args: [{ actor: institute }] });
    await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === codes.length, 60_000, 'units started');

    for (const code of codes) {
      await unit(code).executeUpdate(submitSelfAssessmentUpdate, {
        args: [{ actor: { id: code, role: 'unit', unitCode: code }, scores: fullSelfAssessment(groupOf(code)), approvedBy: 'Thủ trưởng' }],
      });
    }
    const jobs = codes.flatMap((code) => groupOf(code).areas.map((area) => ({ code, area: area.code })));
    await mapWithConcurrency(jobs, 1, ({ code, area }) =>
      unit(code).executeUpdate(appraiseAreaUpdate, {
        args: [{ actor: appraiserOf(area), round: 1, areaCode: area, scores: areaAppraisal(groupOf(code), area), explanationRequests: [] }],
      }),
    );
    await survey.executeUpdate(submitSurveyResultsUpdate, {
      args: [{ actor: institute, points: codes.map((code) => ({ unitCode: code, pointsCenti: 2500 })), source: '' }],
    });
    await eventually(async () => (await campaign.query(progressQuery)).stage === 'council', 60_000, 'the council stage');
    await campaign.executeUpdate(councilDecisionUpdate, { args: [{ actor: council, decision: 'approve', membersPresent: 10, votesFor: 10, note: '', returns: [] }] });
    await campaign.executeUpdate(publishResultsUpdate, { args: [{ actor: admin, decisionNumber: '1/QĐ', decisionDate: '2020-04-29' }] });
    await campaign.result();

    // Every unit went through several runs, and the campaign too.
    for (const code of codes) {
      const runs = await eventually(async () => {
        const found = await runsOf(stack.client, unitWorkflowId(campaignId, code));
        return found.includes('COMPLETED') ? found : undefined;
      }, 30_000, `unit ${code} to complete`);
      expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThan(0);
    }
    expect((await runsOf(stack.client, campaignId)).filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThan(0);

    // The outcome is the one a single run gives: full marks plus the survey, every step logged once.
    const results = (await createReadModelRepository(stack.database.db).getResults(campaignId))!;
    expect(results.published).toBe(true);
    for (const row of results.groups.flatMap((group) => group.units)) {
      expect(row).toMatchObject({ assessedCenti: 7000, surveyCenti: 2500, totalCenti: 9500, rank: 1 });
    }
    const events = await createCampaignRepository(stack.database.db).listEvents(campaignId);
    const count = (action: string) => events.filter((event) => event.action === action).length;
    expect(count('unit_opened')).toBe(codes.length);
    expect(count('self_assessment_submitted')).toBe(codes.length);
    expect(count('area_appraised_round_1')).toBe(jobs.length);
    expect(count('results_published')).toBe(codes.length + 1);

    const campaignRuns = await firstAndLastRuns(stack.client, campaignId);
    const unitRuns = await firstAndLastRuns(stack.client, unitWorkflowId(campaignId, codes[0]!));
    await recordHistories({
      'campaign-continued-first-run': campaignRuns.first,
      'campaign-continued-last-run': campaignRuns.last,
      'unit-continued-first-run': unitRuns.first,
      'unit-continued-last-run': unitRuns.last,
    });
  }, 240_000);
});

import { activityInfo } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParkedChangeRepository } from '../../db/repositories/read-model-parking';
import { createRegistry, createWorkerMetrics } from '../../observability/metrics';
import type { ReadModelChange } from '../../domain/effects';
import { campaignEvents, campaignUnits, guidanceContributions, scoreEntries } from '../../db/schema';
import { fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { bearerAs } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * A change the read model refuses for good is parked instead of jamming its
 * workflow, and an operator's retry after the fix applies it once, where it
 * happened, without putting older state over newer. The refusal is a CHECK
 * this test adds to guidance_contributions (a data error, SQLSTATE 23514, as a
 * hostile value that got past validation would cause); dropping the CHECK is
 * the fix.
 */

const DOC = { name: 'huong-dan.pdf', ref: 'file-guidance' };
const POISON = 'POISON: nội dung cơ sở dữ liệu từ chối';
const FIXED = 'Hướng dẫn lĩnh vực cải cách thủ tục hành chính (bản sửa)';

let stack: TestStack;
let campaign: DrivenCampaign;
const VP = bearerAs('contributor', 'VP', 'vp.huongdan');

/**
 * The after-commit fault: the first attempt to project a change whose action
 * is in `failAfterCommit` throws once its transaction has committed, as a
 * worker that dies before reporting the activity's completion; Temporal then
 * retries the activity. Each attempt seen is recorded by key.
 */
const failAfterCommit = new Set<string>();
const attemptsByKey = new Map<string, number[]>();
const projectionFaults = {
  afterCommit(changes: readonly ReadModelChange[]) {
    for (const change of changes) {
      if (!failAfterCommit.has(change.action)) continue;
      const attempts = attemptsByKey.get(change.idempotencyKey) ?? [];
      attemptsByKey.set(change.idempotencyKey, [...attempts, activityInfo().attempt]);
      if (attempts.length === 0) throw new Error('injected: the worker dies after the commit, before the completion reaches Temporal');
    }
  },
};

beforeAll(async () => {
  stack = await startStack({ projectionFaults });
  campaign = await createCampaignDriver(stack.app).createCampaign();
  await stack.database.db.execute(sql.raw(`alter table guidance_contributions add constraint test_refuses_poison check (summary not like 'POISON%')`));
});
afterAll(async () => {
  await stack?.stop();
});

async function submitGuidance(headers: Record<string, string>, contributor: string, areas: string[], summary: string) {
  return stack.app.inject({
    method: 'POST',
    url: `/campaigns/${campaign.campaignId}/guidance`,
    headers,
    payload: { contributor, areas, document: DOC, summary },
  });
}

async function summaries(): Promise<Record<string, string>> {
  const rows = await stack.database.db
    .select({ contributor: guidanceContributions.contributor, summary: guidanceContributions.summary })
    .from(guidanceContributions)
    .where(eq(guidanceContributions.campaignId, campaign.campaignId));
  return Object.fromEntries(rows.map((row) => [row.contributor, row.summary]));
}

async function eventsWithKey(key: string): Promise<number> {
  const rows = await stack.database.db
    .select({ id: campaignEvents.id })
    .from(campaignEvents)
    .where(and(eq(campaignEvents.campaignId, campaign.campaignId), eq(campaignEvents.idempotencyKey, key)));
  return rows.length;
}

interface ParkedJson {
  id: number;
  workflow_id: string;
  seq: number;
  campaign_name_vi: string;
  action: string;
  error_code: string;
  reason_vi: string;
  attempts: number;
}

describe('a change the read model refuses for good', () => {
  it('is parked; the workflow goes on answering and projecting; an operator retry after the fix applies it once, in order, over nothing newer', async () => {
    const parked = createParkedChangeRepository(stack.database.db);
    const { campaignId } = campaign;

    // 1. The refused change: the step is accepted (the workflow holds it) and the request answers.
    const poisoned = await submitGuidance(await VP, 'VP', ['3'], POISON);
    expect(poisoned.statusCode, poisoned.body).toBe(200);
    expect(await summaries()).toEqual({});

    // 2. The same workflow takes and projects its next steps: VP's corrected guidance, then SNV's (also refused).
    const corrected = await submitGuidance(await VP, 'VP', ['3'], FIXED);
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(await summaries()).toEqual({ VP: FIXED });
    const snvPoisoned = await submitGuidance(SNV_ADMIN, 'SNV', ['1'], `${POISON} (SNV)`);
    expect(snvPoisoned.statusCode, snvPoisoned.body).toBe(200);
    expect(await parked.countParked()).toBe(2);

    // 3. Visible to Sở Nội vụ's administrators through the API…
    const listed = await stack.app.inject({ method: 'GET', url: '/parked-changes', headers: SNV_ADMIN });
    expect(listed.statusCode).toBe(200);
    const rows = (listed.json() as ParkedJson[]).filter((row) => row.workflow_id === campaignId);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      campaign_name_vi: campaign.definition.name_vi,
      action: 'guidance_submitted',
      error_code: '23514',
      reason_vi: 'Thay đổi vi phạm một quy tắc kiểm tra của cơ sở dữ liệu',
      attempts: 1,
    });
    const [vpParked, snvParked] = rows as [ParkedJson, ParkedJson];
    expect(vpParked.seq).toBeLessThan(snvParked.seq);
    // …to no one else…
    const coordinator = await stack.app.inject({ method: 'GET', url: '/parked-changes', headers: await bearerAs('coordinator') });
    expect(coordinator.statusCode).toBe(403);
    // …and on the dashboard, in Vietnamese, with its retry button.
    const page = await stack.app.inject({ method: 'GET', url: '/dashboard/parked-changes', headers: SNV_ADMIN });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`data-parked="${vpParked.id}"`);
    expect(page.body).toContain('Gửi hướng dẫn lĩnh vực');
    expect(page.body).toContain('Thay đổi vi phạm một quy tắc kiểm tra của cơ sở dữ liệu');
    expect(page.body).toContain(`data-url="/parked-changes/${vpParked.id}/retry"`);
    expect(page.body).toContain('Thử lại');
    expect(page.body).not.toContain(campaignId + '#');
    const home = await stack.app.inject({ method: 'GET', url: '/dashboard', headers: SNV_ADMIN });
    expect(home.body).toContain('data-testid="parked-notice"');
    // …and in the worker's metrics, counted from the table at each scrape.
    const registry = createRegistry('worker');
    const parkedRepository = createParkedChangeRepository(stack.database.db);
    createWorkerMetrics(registry, { campaignStages: async () => [], parkedChanges: () => parkedRepository.countParked() });
    expect(await registry.metrics()).toContain(`par_index_parked_changes{process="worker"} ${rows.length}`);

    // 4. A retry before the fix is refused again, says why, and leaves the change parked.
    const early = await stack.app.inject({ method: 'POST', url: `/parked-changes/${snvParked.id}/retry`, headers: SNV_ADMIN });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: 'still_failing' });
    expect(early.json().message_vi).toContain('quy tắc kiểm tra');
    expect(await parked.countParked()).toBe(2);
    const stillParked = await stack.app.inject({ method: 'GET', url: '/parked-changes', headers: SNV_ADMIN });
    expect((stillParked.json() as ParkedJson[]).find((row) => row.id === snvParked.id)).toMatchObject({ attempts: 2 });

    // 5. The fix, then the retries: VP's older guidance records its event but leaves the newer summary alone;
    //    SNV's, which nothing replaced, is applied whole.
    //    Retried in the opposite order to the steps', so the log's order cannot come from the order of recording.
    await stack.database.db.execute(sql.raw('alter table guidance_contributions drop constraint test_refuses_poison'));
    const snvRetry = await stack.app.inject({ method: 'POST', url: `/parked-changes/${snvParked.id}/retry`, headers: SNV_ADMIN });
    expect(snvRetry.statusCode, snvRetry.body).toBe(200);
    expect(snvRetry.json()).toEqual({ id: snvParked.id, outcome: 'applied', skipped_effects: [] });
    const vpRetry = await stack.app.inject({ method: 'POST', url: `/parked-changes/${vpParked.id}/retry`, headers: SNV_ADMIN });
    expect(vpRetry.json()).toEqual({ id: vpParked.id, outcome: 'applied', skipped_effects: ['guidance_contribution'] });
    expect(await summaries()).toEqual({ VP: FIXED, SNV: `${POISON} (SNV)` });
    expect(await parked.countParked()).toBe(0);
    expect((await stack.app.inject({ method: 'GET', url: '/dashboard', headers: SNV_ADMIN })).body).not.toContain('parked-notice');

    // 6. A second retry changes nothing.
    const again = await stack.app.inject({ method: 'POST', url: `/parked-changes/${snvParked.id}/retry`, headers: SNV_ADMIN });
    expect(again.json()).toEqual({ id: snvParked.id, outcome: 'already_resolved', skipped_effects: [] });

    // 7. Each change is in the event log once, in the order the steps happened.
    expect(await eventsWithKey(`${campaignId}#${vpParked.seq}`)).toBe(1);
    expect(await eventsWithKey(`${campaignId}#${snvParked.seq}`)).toBe(1);
    const events = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/events`, headers: SNV_ADMIN });
    const guidance = (events.json() as { id: number; action: string; after: { contributor: string } }[]).filter((event) => event.action === 'guidance_submitted');
    expect(guidance.map((event) => event.after.contributor)).toEqual(['VP', 'VP', 'SNV']);
    // The first, VP's parked step, was recorded last of the three.
    expect(guidance[0]!.id).toBeGreaterThan(guidance[2]!.id);
    const resolved = await stack.app.inject({ method: 'GET', url: '/parked-changes?state=resolved', headers: SNV_ADMIN });
    expect((resolved.json() as ParkedJson[]).filter((row) => row.workflow_id === campaignId)).toHaveLength(2);
  });
});

describe('a projection that fails after its transaction committed', () => {
  it('is retried by Temporal and applies the change exactly once', async () => {
    const fresh = await createCampaignDriver(stack.app).createCampaign();
    failAfterCommit.add('guidance_submitted');
    const response = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/${fresh.campaignId}/guidance`,
      headers: await VP,
      payload: { contributor: 'VP', areas: ['3'], document: DOC, summary: FIXED },
    });
    failAfterCommit.delete('guidance_submitted');
    expect(response.statusCode, response.body).toBe(200);

    // Two attempts of the same activity: the first committed and then failed, the second found the change applied.
    const keys = [...attemptsByKey.keys()].filter((key) => key.startsWith(`${fresh.campaignId}#`));
    expect(keys).toHaveLength(1);
    expect(attemptsByKey.get(keys[0]!)).toEqual([1, 2]);
    const rows = await stack.database.db
      .select({ id: campaignEvents.id })
      .from(campaignEvents)
      .where(eq(campaignEvents.idempotencyKey, keys[0]!));
    expect(rows).toHaveLength(1);
    const contributions = await stack.database.db.select().from(guidanceContributions).where(eq(guidanceContributions.campaignId, fresh.campaignId));
    expect(contributions.map((row) => row.summary)).toEqual([FIXED]);
    // A failure after the commit is not the database refusing the change: nothing is parked.
    const parked = await createParkedChangeRepository(stack.database.db).listParked();
    expect(parked.filter((row) => row.campaignId === fresh.campaignId)).toEqual([]);
  });
});

describe('a batch of changes the read model refuses in part', () => {
  it('parks only the refused change of the batch; the stage move after it is projected, and the retry adds the marks', async () => {
    const driver = createCampaignDriver(stack.app);
    const opened = await driver.openCampaign();
    const unitCode = 'QUAN_BA_DINH';
    const group = opened.definition.framework.groups[opened.definition.units.find((unit) => unit.code === unitCode)!.group]!;
    const scores = scoresToWire(fullSelfAssessment(group)).map((score, i) => (i === 0 ? { ...score, note: 'POISON: ghi chú bị từ chối' } : score));
    await stack.database.db.execute(sql.raw(`alter table score_entries add constraint test_refuses_poison_note check (note not like 'POISON%')`));
    try {
      // The submission and the stage move it causes are projected together: only the submission is refused.
      const submitted = await stack.app.inject({
        method: 'POST',
        url: `/campaigns/${opened.campaignId}/units/${unitCode}/self-assessment`,
        headers: await bearerAs('unit', unitCode, 'quan.badinh'),
        payload: { approved_by: 'Thủ trưởng đơn vị', scores },
      });
      expect(submitted.statusCode, submitted.body).toBe(200);
    } finally {
      await stack.database.db.execute(sql.raw('alter table score_entries drop constraint test_refuses_poison_note'));
    }
    const unitRow = async () =>
      (await stack.database.db.select().from(campaignUnits).where(and(eq(campaignUnits.campaignId, opened.campaignId), eq(campaignUnits.unitCode, unitCode))))[0]!;
    const marks = async () =>
      (await stack.database.db.select().from(scoreEntries).where(and(eq(scoreEntries.campaignId, opened.campaignId), eq(scoreEntries.unitCode, unitCode)))).length;
    expect((await unitRow()).stage).toBe('appraisal_round_1');
    expect(await marks()).toBe(0);

    const parked = (await createParkedChangeRepository(stack.database.db).listParked()).filter((row) => row.campaignId === opened.campaignId);
    expect(parked.map((row) => row.action)).toEqual(['self_assessment_submitted']);
    const retry = await stack.app.inject({ method: 'POST', url: `/parked-changes/${parked[0]!.id}/retry`, headers: SNV_ADMIN });
    // Only marks, which no later change wrote: nothing to skip.
    expect(retry.json()).toEqual({ id: parked[0]!.id, outcome: 'applied', skipped_effects: [] });
    expect(await marks()).toBe(scores.length);
    expect((await unitRow()).stage).toBe('appraisal_round_1');
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/raw-rows';
import { loadBundle } from '../../verification/load';
import { checkChain } from '../../verification/verify';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { startStack, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * The chain as the projection builds it under load and under failure: the
 * self-assessments of a whole province's units submitted at once link one
 * after another without a fork, and a projection that fails after inserting
 * its events and before moving the chain head (the activity, or the API's
 * projection of a returned step, then tried again) leaves neither a gap nor
 * a duplicate.
 */

let stack: TestStack;
/** The unit whose submission fails once between the event insert and the head update. */
let crashUnit = '';
let crashes = 0;

beforeAll(async () => {
  stack = await startStack({
    chainFaults: {
      beforeHeadMoves(_campaignId, keys) {
        if (crashUnit !== '' && crashes === 0 && keys.some((key) => key.includes(`/unit-${crashUnit}#`))) {
          crashes += 1;
          throw new Error('injected crash between the event insert and the chain head update');
        }
      },
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

/** The campaign's events: how many, how many are chained, and their places in the chain. */
async function chainOf(campaign: DrivenCampaign) {
  const rows = rowsOf<{ chain_seq: number | null; idempotency_key: string }>(
    await stack.database.db.execute(sql`select chain_seq, idempotency_key from campaign_events where campaign_id = ${campaign.campaignId} order by chain_seq`),
  );
  return { seqs: rows.map((row) => row.chain_seq), keys: rows.map((row) => row.idempotency_key) };
}

async function expectUnbrokenChain(campaign: DrivenCampaign) {
  const { seqs, keys } = await chainOf(campaign);
  expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  expect(new Set(keys).size).toBe(keys.length);
  const bundle = (await loadBundle(stack.database.db, campaign.campaignId))!;
  expect(bundle.chain.head_seq).toBe(seqs.length);
  expect(checkChain(bundle)).toBeNull();
}

describe('the verification chain under concurrent steps and crashes', () => {
  it('links the self-assessments of 52 units submitted at once one after another, without a fork', async () => {
    const driver = createCampaignDriver(stack.app);
    const campaign = await driver.openCampaign({ unitsPerGroup: 100 });
    expect(campaign.unitCodes.length).toBeGreaterThanOrEqual(50);
    await Promise.all(campaign.unitCodes.map((code) => driver.submitSelfAssessment(campaign, code)));
    await eventually(
      async () => {
        const { keys } = await chainOf(campaign);
        return campaign.unitCodes.every((code) => keys.some((key) => key.includes(`/unit-${code}#`)));
      },
      60_000,
      'every unit’s submission in the log',
    );
    await expectUnbrokenChain(campaign);
  }, 240_000);

  it('leaves no gap and no duplicate when the projection fails between the event insert and the head update', async () => {
    const driver = createCampaignDriver(stack.app);
    const campaign = await driver.openCampaign();
    const before = (await chainOf(campaign)).keys.length;
    crashUnit = campaign.unitCodes[0]!;
    for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
    expect(crashes).toBe(1);
    const submitted = (await chainOf(campaign)).keys.filter((key) => key.includes(`/unit-${crashUnit}#`));
    expect(new Set(submitted).size).toBe(submitted.length);
    expect((await chainOf(campaign)).keys.length).toBeGreaterThan(before);
    await expectUnbrokenChain(campaign);
  }, 180_000);
});

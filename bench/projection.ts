/**
 * The opening projection of P1 on its own (BENCHMARKS.md): how long the read model
 * takes to record one chunk of unit openings (what the campaign's openUnits
 * activity projects before it starts each chunk), on a campaign of N units.
 * Needs Postgres only.
 *
 *   npm run bench:projection -- --units 5000 --batch 500
 *
 * DATABASE_URL names the server the scratch database is made on (default
 * postgres://postgres@127.0.0.1:5432/test); it is dropped at the end.
 */
import { parseArgs } from 'node:util';
import { createReadModelRepository } from '../db/repositories/read-model';
import { unitOpenedChange } from '../domain/unit-opening';
import { UNIT_TIMER_KEYS, type UnitTimerKey } from '../contracts/messages';
import { recordBenchCampaign } from './campaign';
import { percentile } from './stack';

const { values: args } = parseArgs({
  options: { units: { type: 'string', default: '5000' }, batch: { type: 'string', default: '500' } },
});
const N = Number(args.units);
const BATCH = Number(args.batch);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function main() {
  const { db, campaignId, definition, close } = await recordBenchCampaign(ADMIN_URL, N, 'guidance');
  try {
    const readModel = createReadModelRepository(db);
    const deadlines = Object.fromEntries(UNIT_TIMER_KEYS.map((key) => [key, definition.timeline[key]])) as Record<UnitTimerKey, string>;
    // What openUnits projects before it starts a chunk.
    const openings = (start: number) => {
      const at = new Date().toISOString();
      return definition.units.slice(start, start + BATCH).map((unit) => unitOpenedChange(campaignId, unit.code, deadlines, at));
    };
    const batchMs: number[] = [];
    for (let start = 0; start < N; start += BATCH) {
      const changes = openings(start);
      const begun = performance.now();
      const { applied } = await readModel.applyChanges(changes);
      batchMs.push(performance.now() - begun);
      if (applied !== changes.length) throw new Error(`batch at ${start}: applied ${applied} of ${changes.length}`);
    }
    // A retried batch (the activity's retry after a crash) applies nothing.
    const retried = performance.now();
    const { applied: again } = await readModel.applyChanges(openings(0));
    const retryMs = performance.now() - retried;
    if (again !== 0) throw new Error(`a retried batch applied ${again} changes again`);
    const total = batchMs.reduce((sum, ms) => sum + ms, 0);
    console.log(`opening projection, ${N} units in batches of ${BATCH}: total ${total.toFixed(0)} ms, per batch p50 ${percentile(batchMs, 50).toFixed(1)} ms, max ${Math.max(...batchMs).toFixed(1)} ms; a retried batch ${retryMs.toFixed(1)} ms (applied 0)`);
  } finally {
    await close();
  }
}

await main();

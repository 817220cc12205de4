/**
 * P4 on its own (BENCHMARKS.md): the progress page of a campaign of N units against
 * the same two questions asked straight to Postgres, each GET paired with a raw
 * read so both see the same load. The API runs in this process (its Temporal
 * client stays unconnected: the page reads only Postgres), so a change to the
 * page can be measured, or profiled with `--cpu-prof`, in seconds instead of a
 * full `npm run bench`.
 *
 *   npm run bench:progress -- --units 5000 --reads 400
 *
 * DATABASE_URL names the server the scratch database is made on (default
 * postgres://postgres@127.0.0.1:5432/test); it is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import postgres from 'postgres';
import { composeApi } from '../server/compose';
import { createTokenService } from '../application/auth/tokens';
import { createReadModelRepository } from '../db/repositories/read-model';
import type { ReadModelChange } from '../domain/effects';
import { loadConfig } from '../runtime/config';
import { recordBenchCampaign } from './campaign';
import { freePort, percentile } from './stack';

const { values: args } = parseArgs({
  options: { units: { type: 'string', default: '5000' }, reads: { type: 'string', default: '400' } },
});
const N = Number(args.units);
const READS = Number(args.reads);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function main() {
  const { url, db, campaignId, definition, close } = await recordBenchCampaign(ADMIN_URL, N, 'self_assessment');
  const rawSql = postgres(url, { max: 2, onnotice: () => {} });
  const jwtSecret = `bench-${randomBytes(24).toString('hex')}`;
  const app = await composeApi({
    db,
    temporal: new Client(),
    taskQueue: 'unused',
    logger: false,
    settings: { ...loadConfig({ ...process.env, JWT_SECRET: jwtSecret, NODE_ENV: 'development', DATABASE_URL: url }), RATE_LIMIT_MAX: 100_000_000 },
  });
  try {
    // Most units submitted, the rest still at work: the mix of P2's end, when P4 runs.
    const at = new Date().toISOString();
    const changes = definition.units.map((unit, i): ReadModelChange => {
      const submitted = i % 5 !== 0;
      return {
        idempotencyKey: `${campaignId}#state-${unit.code}`,
        campaignId,
        unitCode: unit.code,
        actor: 'bench',
        action: submitted ? 'self_assessment_submitted' : 'unit_opened',
        at,
        effects: [
          {
            kind: 'unit_state',
            unitCode: unit.code,
            stage: submitted ? 'appraisal_round_1' : 'self_assessment',
            status: submitted ? 'submitted' : 'pending',
            flags: [],
            selfAssessmentDue: definition.timeline.self_assessment_due,
            explanationsDue: definition.timeline.explanations_due,
          },
        ],
      };
    });
    await createReadModelRepository(db).applyChanges(changes);
    // In `npm run bench` autovacuum has analysed the table by the time P4 runs, minutes after P1.
    await rawSql`analyze campaign_units`;

    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    const tokens = createTokenService({ secret: jwtSecret, ttlSeconds: 3600 });
    const authorization = `Bearer ${(await tokens.sign({ id: 'snv.admin', role: 'admin', unitCode: 'SNV' })).token}`;
    const url = `http://127.0.0.1:${port}/campaigns/${campaignId}/progress/units`;
    const read = async () => {
      const response = await fetch(url, { headers: { authorization } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`progress answered ${response.status}: ${body.slice(0, 200)}`);
      return body.length;
    };
    // The floor of bench/run.ts: the counts per stage × status, then one page of 500 rows.
    const rawRead = async () => {
      await rawSql`select stage, status, count(*)::int from campaign_units where campaign_id = ${campaignId} group by stage, status`;
      await rawSql`select unit_code, name_vi, group_code, stage, status, flags, self_assessment_due, explanations_due, submitted_at, last_activity_at
                 from campaign_units where campaign_id = ${campaignId} order by unit_code limit 500`;
    };
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      bytes = await read();
      await rawRead();
    }
    const page: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < READS; i++) {
      let begun = performance.now();
      await read();
      page.push(performance.now() - begun);
      begun = performance.now();
      await rawRead();
      raw.push(performance.now() - begun);
    }
    const fmt = (values: number[], p: number) => percentile(values, p).toFixed(2);
    console.log(`P4 progress page, ${N} units, ${READS} GETs (${(bytes / 1024).toFixed(0)} KiB each): p50 ${fmt(page, 50)} ms vs raw ${fmt(raw, 50)} ms (${(percentile(page, 50) / percentile(raw, 50)).toFixed(2)}×), p95 ${fmt(page, 95)} ms vs raw ${fmt(raw, 95)} ms (${(percentile(page, 95) / percentile(raw, 95)).toFixed(2)}×)`);
  } finally {
    await app.close();
    await rawSql.end();
    await close();
  }
}

await main();

/**
 * Survey import benchmark: writes a long-layout CSV of ROWS answer
 * rows (default 1,000,000) to a temporary directory, imports it through the
 * same service the API uses (spool + sha256, streaming parse, row checks,
 * batched inserts in one transaction, the tallies) into a scratch database,
 * computes the points from the tallies, and prints rows, seconds, rows/s and
 * peak RSS.
 *
 *   npm run bench:survey                    # 1,000,000 rows
 *   ROWS=200000 npm run bench:survey
 *   DATABASE_URL=postgres://… npm run bench:survey
 *
 * DATABASE_URL names a server and a database to connect to for creating the
 * scratch database (default postgres://postgres@127.0.0.1:5432/test); the
 * scratch database is dropped at the end. Not part of `npm test`.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { createSurveyAnswerService } from '../application/services/survey-answers';
import { openDatabase } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { createSurveyAnswerRepository } from '../db/repositories/survey-answers';
import { campaignIdOf } from '../domain/campaign';
import { hanoi2019Campaign } from '../seed/hanoi-2019';
import { surveyAnswerCsv } from './survey-answers-csv';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const definition = hanoi2019Campaign({ slug: 'bench' });
const campaignId = campaignIdOf(definition);

async function writeCsv(path: string): Promise<void> {
  await pipeline(Readable.from(surveyAnswerCsv(definition, ROWS)), createWriteStream(path));
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'par-bench-survey-'));
  const file = join(dir, 'answers.csv');
  const name = `par_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase({ url: url.toString(), dataDir: dir });
  try {
    let started = performance.now();
    await writeCsv(file);
    const generated = (performance.now() - started) / 1000;
    const bytes = (await stat(file)).size;

    await handle.migrate();
    await createCampaignRepository(handle.db).insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date() });
    const service = createSurveyAnswerService({
      answers: createSurveyAnswerRepository(handle.db),
      submitResults: () => Promise.reject(new Error('not part of the benchmark')),
      options: { tempDir: dir },
    });
    const actor = { id: 'bench', role: 'institute' as const };

    started = performance.now();
    const result = await service.importFile(campaignId, createReadStream(file), actor);
    const seconds = (performance.now() - started) / 1000;

    started = performance.now();
    const report = await service.points(campaignId, actor);
    const aggregation = (performance.now() - started) / 1000;

    started = performance.now();
    const again = await service.importFile(campaignId, createReadStream(file), actor);
    const reimport = (performance.now() - started) / 1000;

    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
      [
        `survey import benchmark (${new Date().toISOString()}, node ${process.version}, ${process.platform}/${process.arch})`,
        `  file:        ${ROWS.toLocaleString('en')} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB, long-layout CSV (written in ${generated.toFixed(1)} s)`,
        `  imported:    ${result.summary.answers.toLocaleString('en')} answers, ${result.summary.respondents.toLocaleString('en')} respondents, ${result.summary.units} units`,
        `  import:      ${seconds.toFixed(2)} s → ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`,
        `  aggregation: ${aggregation.toFixed(2)} s (points of ${report.units.length} units from the import's tallies)`,
        `  re-import of the same file: ${reimport.toFixed(2)} s (created: ${again.created})`,
        `  peak RSS:    ${maxRssMiB.toFixed(0)} MiB`,
      ].join('\n'),
    );
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

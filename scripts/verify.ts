import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type DatabaseHandle } from '../db/connect';
import { loadConfig } from '../runtime/config';
import { bundleOf, bundleSchema, type VerificationBundle } from '../verification/bundle';
import { importBundle } from '../verification/import';
import { loadBundle } from '../verification/load';
import { verifyBundle, type Verdict } from '../verification/verify';

/**
 * `npm run verify -- <campaignId>` (or `--campaign <id>`): checks a published
 * campaign's hash chain, re-derives its marks, survey points and results from
 * the chained events with the domain's scoring code, and compares them with
 * what Postgres stores and what was published. Prints OK with the chain head
 * and the verification code, or the first problem with its event or unit and
 * sub-criterion, and exits 1.
 *
 * `--export <file>` writes the campaign's bundle (events, definition, results,
 * chain) as JSON; `--bundle <file>` verifies such a file on its own, and with
 * `--database <url>` in another database too: a database without the
 * campaign receives the bundle and is verified as any other; one that holds it
 * is verified and must agree with the bundle's chain and code.
 */

const USAGE = 'npm run verify -- <mã đợt> | --campaign <mã đợt> [--export <tệp>] | --bundle <tệp> [--database <postgres://…>]';

function say(lines: string[]) {
  process.stdout.write(`${lines.join('\n')}\n`);
}

function fail(vi: string, en: string): never {
  process.stderr.write(`${vi}\n${en}\n`);
  process.exit(1);
}

function report(source: string, verdict: Verdict, events: number): boolean {
  if (verdict.ok) {
    say([
      `OK: ${source}`,
      `  Kiểm chứng đạt: ${events} sự kiện trong chuỗi, đầu chuỗi ${verdict.head_hash}`,
      `  Verified: ${events} chained events, chain head ${verdict.head_hash}`,
      `  Mã kiểm chứng / Verification code: ${verdict.short_code} (${verdict.digest})`,
    ]);
    return true;
  }
  const { problem } = verdict;
  const where = [
    problem.seq === undefined ? '' : `seq=${problem.seq}`,
    problem.unit_code === undefined ? '' : `unit=${problem.unit_code}`,
    problem.subcriterion_code === undefined ? '' : `subcriterion=${problem.subcriterion_code}`,
    problem.column === undefined ? '' : `column=${problem.column}`,
    problem.field === undefined ? '' : `field=${problem.field}`,
  ].filter(Boolean);
  process.stderr.write(
    [`KHÔNG ĐẠT / FAILED: ${source} (${problem.kind}${where.length ? `; ${where.join(' ')}` : ''})`, `  ${problem.message_vi}`, `  ${problem.message_en}`, ''].join('\n'),
  );
  return false;
}

const { values, positionals } = parseArgs({
  options: { campaign: { type: 'string' }, export: { type: 'string' }, bundle: { type: 'string' }, database: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
const campaignId = values.campaign ?? positionals[0];
if ((campaignId === undefined) === (values.bundle === undefined)) {
  fail(`Cần đúng một trong <mã đợt> và --bundle. Cách dùng: ${USAGE}`, `Give either a campaign ID or --bundle. Usage: ${USAGE}`);
}

function readBundle(file: string): VerificationBundle {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`Không đọc được tệp ${file}: ${(error as Error).message}`, `Cannot read ${file}: ${(error as Error).message}`);
  }
  const checked = bundleSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    fail(`Tệp ${file} không phải gói kiểm chứng: ${issue?.path.join('.')} ${issue?.message}`, `${file} is not a verification bundle: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return bundleOf(checked.data);
}

function openTarget(): DatabaseHandle {
  const config = loadConfig();
  return openDatabase({ url: values.database ?? config.DATABASE_URL, dataDir: config.DATA_DIR, maxConnections: 2 });
}

async function verifyCampaign(database: DatabaseHandle, id: string): Promise<{ bundle: VerificationBundle; ok: boolean }> {
  const bundle = await loadBundle(database.db, id);
  if (bundle === null) fail(`Không có đợt đánh giá ${id} trong cơ sở dữ liệu`, `No campaign ${id} in the database`);
  return { bundle, ok: report(`${id} (cơ sở dữ liệu / database)`, verifyBundle(bundle), bundle.events.length) };
}

let ok = true;
if (campaignId !== undefined) {
  const database = openTarget();
  try {
    const checked = await verifyCampaign(database, campaignId);
    ok = checked.ok;
    if (values.export !== undefined) {
      writeFileSync(values.export, `${JSON.stringify(checked.bundle)}\n`);
      say([`Đã ghi gói kiểm chứng / Bundle written: ${values.export}`]);
    }
  } finally {
    await database.close();
  }
} else {
  const bundle = readBundle(values.bundle!);
  ok = report(`${values.bundle} (gói / bundle)`, verifyBundle(bundle), bundle.events.length);
  if (values.database !== undefined) {
    const database = openTarget();
    try {
      await database.migrate();
      const imported = await importBundle(database.db, bundle);
      if (imported) say([`Đã nạp gói vào cơ sở dữ liệu / Bundle loaded into the database: ${bundle.campaign_id}`]);
      const stored = await verifyCampaign(database, bundle.campaign_id);
      ok = stored.ok && ok;
      if (!imported && stored.bundle.chain.published_digest !== bundle.chain.published_digest) {
        ok = false;
        process.stderr.write(
          [
            `KHÔNG ĐẠT / FAILED: ${bundle.campaign_id} (bundle_differs)`,
            '  Mã kiểm chứng trong gói khác với mã trong cơ sở dữ liệu',
            '  The bundle’s verification code differs from the database’s',
            '',
          ].join('\n'),
        );
      }
    } finally {
      await database.close();
    }
  }
}
process.exit(ok ? 0 : 1);

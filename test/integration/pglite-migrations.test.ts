import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createProgressRepository } from '../../db/repositories/progress';
import { createReadModelRepository } from '../../db/repositories/read-model';
import type { ReadModelChange } from '../../domain/effects';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';

const dataDir = mkdtempSync(join(tmpdir(), 'par-pglite-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded PGlite database', () => {
  it('applies the same committed migrations and keeps its data across a reopen', async () => {
    const first = openDatabase({ dataDir });
    await first.migrate();
    await first.migrate(); // idempotent: a second start applies nothing new
    const repository = createCampaignRepository(first.db);
    const definition = hanoi2019Campaign({ unitsPerGroup: 3 });
    await repository.insertCampaign({ campaignId: 'par-2019-hn', definition, stage: 'guidance', at: new Date('2019-11-26T01:00:00Z') });
    const change: ReadModelChange = {
      idempotencyKey: 'par-2019-hn#1',
      campaignId: 'par-2019-hn',
      actor: 'admin:SNV/snv',
      action: 'stage_changed',
      at: '2019-12-06T01:00:00.000Z',
      effects: [{ kind: 'campaign_stage', stage: 'self_assessment' }],
    };
    const readModel = createReadModelRepository(first.db);
    expect(await readModel.applyChange(change)).toEqual({ applied: true });
    // A retried activity writes nothing twice.
    expect(await readModel.applyChange(change)).toEqual({ applied: false });
    // A batch of openings: its events in one statement, its unit states in one UPDATE.
    const opened = definition.units.map((unit, i): ReadModelChange => ({
      idempotencyKey: `par-2019-hn#open-${i}`,
      campaignId: 'par-2019-hn',
      unitCode: unit.code,
      actor: 'system',
      action: 'unit_opened',
      before: { stage: 'self_assessment', status: 'pending' },
      at: '2019-12-06T01:00:00.000Z',
      effects: [{ kind: 'unit_state', unitCode: unit.code, stage: 'self_assessment', status: 'overdue', flags: ['missing_submission'], selfAssessmentDue: '2020-01-15', explanationsDue: '2020-02-20' }],
    }));
    expect(await readModel.applyChanges([...opened, opened[0]!])).toEqual({ applied: 6 });
    expect(await readModel.applyChanges(opened)).toEqual({ applied: 0 });
    // The progress table maps PGlite's rows by hand, as it does postgres.js's (sorted in JavaScript: no ICU here).
    const table = await createProgressRepository(first.db).listUnits('par-2019-hn', { status: 'overdue' }, { limit: 2, offset: 1 });
    expect(table).toHaveLength(2);
    expect(table[0]).toMatchObject({ workflowStatus: 'overdue', status: 'overdue', flags: ['missing_submission'], submittedAt: null, lastActivityAt: new Date('2019-12-06T01:00:00.000Z') });
    expect(table[0]!.selfAssessmentDue).toEqual(new Date('2020-01-15T23:59:59+07:00'));
    expect(await createProgressRepository(first.db).countByStageAndStatus('par-2019-hn')).toEqual([{ stage: 'self_assessment', status: 'overdue', units: 6 }]);
    // The marks aggregation loads and the results it writes go through raw SQL too (PGlite hands over Dates).
    const unitCode = definition.units[0]!.code;
    await readModel.applyChange({
      idempotencyKey: 'par-2019-hn#scores',
      campaignId: 'par-2019-hn',
      actor: `unit:${unitCode}`,
      action: 'self_assessment_submitted',
      at: '2020-01-10T02:00:00.000Z',
      effects: [{ kind: 'scores', unitCode, column: 'self', setBy: `unit:${unitCode}`, setAt: '2020-01-10T02:00:00.000Z', entries: [{ code: '1.1.1', input: { kind: 'boolean', value: true }, pointsCenti: 100, note: '', evidence: [] }] }],
    });
    // The change rebuilt the unit's sheet; the other units get theirs (empty) when the pass loads.
    const input = await readModel.loadAggregationInput('par-2019-hn');
    expect(input!.units).toHaveLength(6);
    const unitInput = input!.units.find((unit) => unit.code === unitCode)!;
    expect(unitInput.assessed).toMatchObject({ ok: true, value: { finalCenti: 100 } });
    expect(unitInput.sheetVersion).toBe(1);
    const sheet = { who: [`unit:${unitCode}`], when: ['2020-01-10T02:00:00.000Z'], marks: [['1.1.1', 'self', { kind: 'boolean', value: true }, 100, 0, 0, '']] };
    const figures = { assessedCenti: 100, bonusCenti: 0, penaltyCenti: 0, totalCenti: 100, indexCenti: 100, rank: 1 };
    const row = { campaignId: 'par-2019-hn', pass: 1, unitCode, groupCode: definition.units[0]!.group, surveyCenti: null, classification: null, flags: [], sheetVersion: 1, computedAt: new Date('2020-03-01T01:00:00.000Z'), ...figures };
    expect(await readModel.replaceResults('par-2019-hn', 1, [row])).toEqual({ replaced: true });
    expect(await readModel.getResultSheet('par-2019-hn', unitCode)).toMatchObject({ ...figures, surveyCenti: null, sheet, published: false, explanation: null });
    await first.close();

    const second = openDatabase({ dataDir });
    await second.migrate();
    const reopened = createCampaignRepository(second.db);
    expect(await reopened.findCampaign('par-2019-hn')).toMatchObject({ stage: 'self_assessment', year: 2019 });
    const units = await reopened.listUnits('par-2019-hn');
    expect(units).toHaveLength(6);
    expect(units.every((unit) => unit.status === 'overdue' && unit.flags.includes('missing_submission'))).toBe(true);
    expect(units[0]!.selfAssessmentDue).toEqual(new Date('2020-01-15T23:59:59+07:00'));
    const events = await reopened.listEvents('par-2019-hn');
    expect(events.map((event) => event.action)).toEqual(['stage_changed', ...Array(6).fill('unit_opened'), 'self_assessment_submitted']);
    expect(events[1]).toMatchObject({ unitCode: definition.units[0]!.code, before: { stage: 'self_assessment', status: 'pending' }, after: null, reason: null });
    await second.close();
  });
});

/**
 * The campaign every benchmark runs: Hanoi 2019's framework and timeline shape
 * at n units. Not part of the app.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import type { CampaignDefinition } from '../domain/campaign';
import { toVietnamIso } from '../domain/deadlines';
import type { CampaignStage } from '../domain/stages';
import { hanoi2019Campaign } from '../seed/hanoi-2019';
import { createScratchDatabase, runNodeScript } from './stack';

/** n units: the 52 of Hanoi 2019 (the guidance contributors are among them) and generated ones, alternating the two groups. */
export function benchCampaign(slug: string, n: number): CampaignDefinition {
  const now = Date.now();
  const day = 24 * 60 * 60 * 1000;
  const at = (days: number) => toVietnamIso(now + days * day);
  const base = hanoi2019Campaign({
    slug,
    timeline: {
      guidance_due: at(1),
      self_assessment_due: at(2),
      appraisal_round_1_due: at(3),
      explanations_due: at(4),
      appraisal_round_2_due: at(5),
      survey_results_due: at(5),
      council_due: at(6),
      publication_due: at(7),
    },
  });
  const groups = Object.keys(base.framework.groups);
  const units = base.units.slice(0, n);
  for (let i = units.length; i < n; i++) {
    units.push({ code: `B${String(i).padStart(5, '0')}`, name_vi: `Đơn vị thử nghiệm ${i}`, group: groups[i % groups.length]! });
  }
  const codes = new Set(units.map((unit) => unit.code));
  return {
    ...base,
    units,
    contributors: base.contributors.filter((contributor) => codes.has(contributor.unit)),
    // Off until P3 turns them on (bench/reminder-storm.ts), so no reminder falls due during P1.
    settings: { ...base.settings, reminders: { ...defaultReminders(), enabled: false } },
  };
}

function defaultReminders() {
  return {
    enabled: true,
    before: ['P7D', 'P3D', 'P1D', 'P0D'],
    time_of_day: '08:00',
    escalation: { enabled: true, after: 'P1D' },
    holidays: [],
    coordinator_unit: 'SNV',
    coordinators: [],
  };
}

export interface RecordedBenchCampaign {
  url: string;
  db: Database;
  campaignId: string;
  definition: CampaignDefinition;
  /** Closes the connections and drops the scratch database. */
  close(): Promise<void>;
}

/**
 * A scratch database on adminUrl's server, migrated, holding the campaign of
 * benchCampaign at `stage`: what the single-scenario benches start from.
 */
export async function recordBenchCampaign(adminUrl: string, n: number, stage: CampaignStage): Promise<RecordedBenchCampaign> {
  const database = await createScratchDatabase(adminUrl);
  const handle = openDatabase({ url: database.url, dataDir: '' });
  const close = async () => {
    await handle.close();
    await database.drop();
  };
  try {
    await runNodeScript('scripts/migrate.ts', { DATABASE_URL: database.url });
    const slug = `bench${randomBytes(4).toString('hex')}`;
    const definition = benchCampaign(slug, n);
    const campaignId = `par-${definition.year}-${slug}`;
    await createCampaignRepository(handle.db).insertCampaign({ campaignId, definition, stage, at: new Date() });
    return { url: database.url, db: handle.db, campaignId, definition, close };
  } catch (error) {
    await close();
    throw error;
  }
}

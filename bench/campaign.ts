/**
 * The campaign every benchmark runs: Hanoi 2019's framework and timeline shape
 * at n units. Not part of the app.
 */
import type { CampaignDefinition } from '../domain/campaign';
import { toVietnamIso } from '../domain/deadlines';
import { hanoi2019Campaign } from '../seed/hanoi-2019';

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

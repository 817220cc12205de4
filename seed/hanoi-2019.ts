import { campaignDefinitionSchema, type CampaignDefinition, type Timeline } from '../domain/campaign';
import { parseDeadline, toVietnamIso } from '../domain/deadlines';
import framework from './framework-2019-sample.json';
import hanoi from './hanoi-2019.json';

/**
 * The Hanoi 2019 campaign (Plan 245/KH-UBND, 26-11-2019) as seed data: 52 units in
 * two groups, the sample framework, the nine guidance contributors, the timeline.
 * Source: shared/domain/hanoi-2019.json; the framework's points are illustrative.
 */

const PLAN_ISSUED = '2019-11-26T00:00:00+07:00';
const DAY_MS = 24 * 60 * 60 * 1000;

function dateOf(stage: string): string {
  const entry = hanoi.timeline.find((item) => item.stage === stage);
  if (!entry) throw new Error(`hanoi-2019.json has no timeline stage ${stage}`);
  return entry.date;
}

/** The 2019 deadlines as published or assumed in hanoi-2019.json. */
export const HANOI_2019_TIMELINE: Timeline = {
  guidance_due: dateOf('guidance_contributions_due'),
  self_assessment_due: dateOf('self_assessment_due'),
  appraisal_round_1_due: dateOf('appraisal_round_1'),
  explanations_due: dateOf('explanations_due'),
  appraisal_round_2_due: dateOf('appraisal_round_2'),
  survey_results_due: dateOf('survey_results_due'),
  council_due: dateOf('council_meeting'),
  publication_due: dateOf('publication'),
};

/**
 * The 2019 timeline moved to start at `startMs`, with each 2019 day lasting
 * `msPerDay`: one day per day for a live demo, a few hundred ms for tests.
 */
export function shiftTimeline(timeline: Timeline, startMs: number, msPerDay: number): Timeline {
  const origin = Date.parse(PLAN_ISSUED);
  const shifted = Object.entries(timeline).map(([key, text]) => {
    const at = parseDeadline(text)!;
    return [key, toVietnamIso(startMs + Math.round(((at - origin) / DAY_MS) * msPerDay))];
  });
  return Object.fromEntries(shifted) as Timeline;
}

export interface Hanoi2019Options {
  slug?: string;
  timeline?: Timeline;
  /** Keep only the first N units of each group (small tests). */
  unitsPerGroup?: number;
}

export function hanoi2019Campaign(options: Hanoi2019Options = {}): CampaignDefinition {
  const perGroup = new Map<string, number>();
  const units = hanoi.units.filter((unit) => {
    const seen = perGroup.get(unit.group) ?? 0;
    perGroup.set(unit.group, seen + 1);
    return options.unitsPerGroup === undefined || seen < options.unitsPerGroup;
  });
  const codes = new Set(units.map((unit) => unit.code));
  return campaignDefinitionSchema.parse({
    year: 2019,
    slug: options.slug ?? 'hn',
    name_vi: 'Xác định Chỉ số cải cách hành chính năm 2019 của các sở, cơ quan ngang sở, UBND quận, huyện, thị xã — Hà Nội',
    framework,
    units,
    contributors: hanoi.guidance_contributors
      .filter((contributor) => codes.has(contributor.unit))
      .map(({ unit, areas_owned }) => ({ unit, areas_owned })),
    timeline: options.timeline ?? HANOI_2019_TIMELINE,
  });
}

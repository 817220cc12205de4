/**
 * Valid bodies that a JSON schema cannot describe: a framework document, a
 * campaign that passes the domain's cross-checks, a self-assessment that scores
 * every sub-criterion of the unit's group with the input its rule takes, the
 * survey points of every unit, a reminder policy whose offsets are durations,
 * files whose content is what they declare. The generated bodies (generate.ts)
 * meet the schema; these also meet the domain, so the request reaches the
 * workflow or the store behind the route.
 */
import { scoreInputToWire } from '../../api/wire/unit';
import type { CampaignDefinition } from '../../domain/campaign';
import { reminderPolicySchema } from '../../domain/reminders';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../seed/hanoi-2019';
import { fullSelfAssessment } from '../../seed/scores';
import type { Random } from './generate';

export interface ValidBody {
  /** Absent for a FormData body: fetch writes the multipart boundary itself. */
  contentType?: string;
  body: string | Buffer | FormData;
}

export interface BodyContext {
  /** The demo campaign, whose units and framework the steps name. */
  demo: CampaignDefinition;
  /** The unit of the request's path, when it has one. */
  unitCode?: string;
  /** Frameworks of the library that the run has created (a campaign from the library names one). */
  frameworkCodes: readonly string[];
  /** The onboarding workbook the API hands out (GET /onboarding/template.xlsx). */
  onboardingTemplate?: Buffer;
  /** Unique per request: new campaigns and frameworks need new codes. */
  serial: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const json = (value: unknown): ValidBody => ({ contentType: 'application/json', body: JSON.stringify(value) });

function upload(content: Buffer, type: string, name: string): ValidBody {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type }), name);
  return { body: form };
}

/** The 2019 timeline moved to start tomorrow, a day a day: every deadline still ahead. */
const aheadTimeline = () => shiftTimeline(HANOI_2019_TIMELINE, Date.now() + DAY_MS, DAY_MS);

/** A small campaign of the demo's framework: one unit of each group, so its start fans out to a few workflows only. */
function smallCampaign(serial: number) {
  return hanoi2019Campaign({ slug: `fuzz-${serial}`, unitsPerGroup: 1, timeline: aheadTimeline() });
}

type Builder = (random: Random, context: BodyContext) => ValidBody | undefined;

const BUILDERS: Record<string, Builder> = {
  'POST /frameworks': (_random, { demo, serial }) => json({ ...demo.framework, code: `fuzz-${serial}` }),
  'POST /campaigns': (_random, { serial }) => json(smallCampaign(serial)),
  'POST /campaigns/from-library': (random, { serial, frameworkCodes }) => {
    if (frameworkCodes.length === 0) return undefined;
    return json({ ...smallCampaign(serial), framework: { code: frameworkCodes[Math.floor(random() * frameworkCodes.length)]! } });
  },
  'POST /campaigns/{campaignId}/successor': (_random, { serial }) =>
    json({ year: 2020 + (serial % 80), slug: `fuzz-${serial}`, name_vi: `Đợt đánh giá thử ${serial}`, timeline: aheadTimeline() }),
  'POST /campaigns/{campaignId}/survey/results': (random, { demo }) =>
    json({ points: demo.units.map((unit) => ({ unit_code: unit.code, points_centi: Math.floor(random() * 2_000) })), source: 'Viện nghiên cứu (fuzz)' }),
  'POST /campaigns/{campaignId}/units/{unitCode}/self-assessment': (_random, { demo, unitCode }) => {
    const unit = demo.units.find((candidate) => candidate.code === unitCode);
    const group = unit === undefined ? undefined : demo.framework.groups[unit.group];
    if (group === undefined) return undefined;
    const scores = fullSelfAssessment(group).map((score) => ({ ...score, input: scoreInputToWire(score.input) }));
    return json({ scores, approved_by: 'Thủ trưởng đơn vị' });
  },
  // Offsets are ISO-8601 durations the domain parses, which the document's plain string cannot say.
  'PUT /campaigns/{campaignId}/reminder-policy': (random) =>
    json(
      reminderPolicySchema.parse({
        before: [['P7D', 'P3D', 'P1D', 'P0D'], ['P14D', 'P2D'], ['PT30S']][Math.floor(random() * 3)],
        time_of_day: ['08:00', '14:30'][Math.floor(random() * 2)],
        escalation: { enabled: random() < 0.8, after: ['P1D', 'P2D', 'PT10S'][Math.floor(random() * 3)] },
      }),
    ),
  'POST /campaigns/{campaignId}/units/{unitCode}/evidence': () => upload(PDF, 'application/pdf', 'bao-cao.pdf'),
  'POST /onboarding/import': (_random, { onboardingTemplate }) =>
    onboardingTemplate === undefined ? undefined : upload(onboardingTemplate, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'onboarding.xlsx'),
  'POST /campaigns/{campaignId}/survey/answers': (random, { demo }) => {
    // Answers to the survey of each unit's group, from its own respondent groups, questions and answer options.
    const rows = demo.units.slice(0, 6).flatMap((unit, index) => {
      const survey = demo.framework.groups[unit.group]?.survey;
      if (survey === undefined || !survey.respondent_groups.length || !survey.answer_options.length) return [];
      const respondent = survey.respondent_groups[index % survey.respondent_groups.length]!.code;
      return survey.questions.map((question) => {
        const option = survey.answer_options[Math.floor(random() * survey.answer_options.length)]!.code;
        return `R${index + 1},${respondent},${unit.code},${question.code},${option}`;
      });
    });
    return { contentType: 'text/csv', body: `respondent_id,respondent_group,unit_code,question_code,answer\n${rows.join('\n')}\n` };
  },
};

/** The valid body of `route` beyond its schema, or undefined where the generated one serves. */
export function validBodyFor(route: string, random: Random, context: BodyContext): ValidBody | undefined {
  return BUILDERS[route]?.(random, context);
}

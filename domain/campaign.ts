import { z } from 'zod';
import { parseDeadline } from './deadlines';
import { validateFramework, type Framework } from './framework';
import { issue, type ValidationIssue } from './issues';
import { timelineOrderIssues } from './timeline-order';
import { reminderPolicySchema } from './reminders';
import { INT32_MAX } from './numbers';
import { campaignIdText, codeText, nameText, unitCodeText } from './text';
import { campaignIdOf } from './units';

/**
 * The contract for creating a yearly campaign: who is assessed, on which
 * framework, by which deadlines. It is the body of POST /campaigns and the input
 * of the campaign workflow, so it must stay small and serialisable.
 */

const deadlineText = z
  .string()
  .refine((text) => parseDeadline(text) !== null, {
    message: 'must be YYYY-MM-DD (end of day, Vietnam time) or an ISO timestamp with offset',
    params: {
      message_vi: 'phải có dạng YYYY-MM-DD (hết ngày, giờ Việt Nam) hoặc thời điểm ISO có múi giờ',
      message_en: 'must be YYYY-MM-DD (end of day, Vietnam time) or an ISO timestamp with offset',
    },
  });


export const timelineSchema = z.object({
  guidance_due: deadlineText,
  self_assessment_due: deadlineText,
  appraisal_round_1_due: deadlineText,
  explanations_due: deadlineText,
  appraisal_round_2_due: deadlineText,
  survey_results_due: deadlineText,
  council_due: deadlineText,
  publication_due: deadlineText,
});
export type Timeline = z.infer<typeof timelineSchema>;

/** The timeline's deadlines in the order the campaign meets them. */
export const TIMELINE_KEYS = timelineSchema.keyof().options;

/** What each deadline is called on the dashboard, the exports and the event log. */
export const DEADLINE_LABEL_VI: Record<keyof Timeline, string> = {
  guidance_due: 'Gửi hướng dẫn chấm điểm',
  self_assessment_due: 'Nộp báo cáo tự đánh giá',
  appraisal_round_1_due: 'Thẩm định vòng 1',
  explanations_due: 'Giải trình',
  appraisal_round_2_due: 'Thẩm định vòng 2',
  survey_results_due: 'Kết quả điều tra xã hội học',
  council_due: 'Họp Hội đồng thẩm định',
  publication_due: 'Công bố kết quả',
};

export const unitSchema = z.object({
  code: unitCodeText(),
  name_vi: nameText(),
  group: codeText(),
});
export type CampaignUnit = z.infer<typeof unitSchema>;

export const contributorSchema = z.object({
  unit: unitCodeText(),
  areas_owned: z.array(codeText()).min(1).max(100),
});

export type Contributor = z.infer<typeof contributorSchema>;

/** A criteria framework, checked in full by domain/framework (every mistake with its path). */
export const frameworkFieldSchema = z.unknown().transform((input, ctx): Framework => {
  const result = validateFramework(input);
  if (result.ok) return result.framework;
  for (const found of result.issues) {
    ctx.addIssue({ code: 'custom', path: [...found.path], message: found.message_en, params: found });
  }
  return z.NEVER;
});

export const campaignSettingsSchema = z.object({
  /** What a unit that never submits its self-assessment scores. */
  missing_submission: z.enum(['zero_and_flag']).default('zero_and_flag'),
  /** Members of the appraisal council; a decision needs more than half of them (Hanoi's 2024 council had 10). */
  council_members: z.number().int().min(1).max(100).default(10),
  /**
   * Deadline reminders and overdue escalation (domain/reminders.ts). Absent means
   * the defaults: 7, 3 and 1 days before and on the day at 08:00, escalation the
   * next working day; Sở Nội vụ can change it later through the API.
   */
  reminders: reminderPolicySchema.optional(),
});

/** What names a campaign: its year and slug make its ID (par-<year>-<slug>). */
const campaignIdentityShape = {
  year: z.number().int().min(2000).max(2100),
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and hyphens').max(32),
  name_vi: nameText(),
};

/** Everything of a campaign but its framework: who is assessed and appraises, by which deadlines. */
const campaignBodyShape = {
  ...campaignIdentityShape,
  units: z.array(unitSchema).min(1).max(20_000),
  contributors: z.array(contributorSchema).max(1000).default([]),
  timeline: timelineSchema,
  settings: campaignSettingsSchema.default({ missing_submission: 'zero_and_flag', council_members: 10 }),
  /**
   * Last year's campaign, whose published ranking this one's results are compared with
   * (rank and index change per unit, matched by unit code). Set by the successor route.
   */
  previous_campaign_id: campaignIdText().optional(),
};

export const campaignDefinitionSchema = z
  .object({ ...campaignBodyShape, framework: frameworkFieldSchema })
  .superRefine((definition, ctx) => {
    for (const found of crossCheckCampaign(definition)) {
      ctx.addIssue({ code: 'custom', path: found.path, message: found.message_en, params: found });
    }
  });

export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;

/** A framework of the library: its latest version unless one is named. */
export const frameworkReferenceSchema = z.object({ code: codeText(), version: z.number().int().positive().max(INT32_MAX).optional() });
export type FrameworkReference = z.infer<typeof frameworkReferenceSchema>;

/**
 * Next year's campaign from this year's: the same units, contributors and
 * settings, a new name and timeline, and the same framework or a version from
 * the framework library. The usual way a province starts its yearly campaign.
 */
export const successorRequestSchema = z.object({
  ...campaignIdentityShape,
  timeline: timelineSchema,
  /** Absent: the source campaign's framework. */
  framework: frameworkReferenceSchema.optional(),
});
export type SuccessorRequest = z.infer<typeof successorRequestSchema>;

/**
 * A campaign from a framework of the library and a list of units: how a
 * province starts its first campaign, or a year whose units changed, without
 * writing the framework's JSON into the request.
 */
export const libraryCampaignRequestSchema = z.object({ ...campaignBodyShape, framework: frameworkReferenceSchema });
export type LibraryCampaignRequest = z.infer<typeof libraryCampaignRequestSchema>;

/** The successor's definition, naming its source as its predecessor; crossCheckCampaign says whether the units' groups fit the framework. */
export function successorDefinition(source: CampaignDefinition, request: SuccessorRequest, framework: Framework = source.framework): CampaignDefinition {
  return {
    ...source,
    year: request.year,
    slug: request.slug,
    name_vi: request.name_vi,
    timeline: request.timeline,
    framework,
    previous_campaign_id: campaignIdOf(source),
  };
}

export { campaignIdOf };
export { timelineOrderIssues, TIMELINE_ORDER } from './timeline-order';

/** Checks that need more than one field: references between units, groups, contributors and dates. */
export function crossCheckCampaign(definition: Omit<CampaignDefinition, 'settings'>): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const groups = new Set(Object.keys(definition.framework.groups));
  const seen = new Map<string, number>();
  definition.units.forEach((unit, index) => {
    const first = seen.get(unit.code);
    if (first !== undefined) {
      found.push(
        issue(['units', index, 'code'], 'duplicate_unit',
          `Mã đơn vị ${unit.code} bị trùng (đã có ở vị trí ${first})`,
          `Unit code ${unit.code} is duplicated (first at index ${first})`),
      );
    } else seen.set(unit.code, index);
    if (!groups.has(unit.group)) {
      found.push(
        issue(['units', index, 'group'], 'unknown_group',
          `Nhóm ${unit.group} không có trong bộ tiêu chí`,
          `Group ${unit.group} is not in the framework`),
      );
    }
  });
  const areaCodes = new Set(Object.values(definition.framework.groups).flatMap((group) => group.areas.map((area) => area.code)));
  // Whom a contributor names is checked against the units and the organisation directory (contributorIssues).
  definition.contributors.forEach((contributor, index) => {
    contributor.areas_owned.forEach((area, areaIndex) => {
      if (!areaCodes.has(area)) {
        found.push(
          issue(['contributors', index, 'areas_owned', areaIndex], 'unknown_area',
            `Lĩnh vực ${area} không có trong bộ tiêu chí`,
            `Area ${area} is not in the framework`),
        );
      }
    });
  });
  found.push(...timelineOrderIssues(definition.timeline));
  return found;
}


/**
 * A contributor (who writes guidance and appraises its areas) names a unit of the campaign or an
 * organisation of the directory that is not disabled: a department that is not assessed in a
 * commune-only campaign appraises it all the same. `organisationCodes`: the active ones among the
 * contributors' codes. Paths start at the request body.
 */
export function contributorIssues(
  definition: Pick<CampaignDefinition, 'units' | 'contributors'>,
  organisationCodes: ReadonlySet<string>,
): ValidationIssue[] {
  const units = new Set(definition.units.map((unit) => unit.code));
  const found: ValidationIssue[] = [];
  definition.contributors.forEach((contributor, index) => {
    if (!units.has(contributor.unit) && !organisationCodes.has(contributor.unit)) {
      found.push(
        issue(['body', 'contributors', index, 'unit'], 'unknown_contributor',
          `Cơ quan thẩm định ${contributor.unit} không có trong danh mục cơ quan (hoặc đã ngừng) và không phải đơn vị của đợt đánh giá`,
          `Contributor ${contributor.unit} is neither an organisation of the directory (not disabled) nor a unit of the campaign`),
      );
    }
  });
  return found;
}

/**
 * Where one assessed unit stands. The stage follows the unit's own deadlines
 * (which an extension can move); the status says whether the unit, or the
 * appraisers, still owe something in that stage.
 */
export const UNIT_STAGES = [
  'self_assessment',
  'appraisal_round_1',
  'explanations',
  'appraisal_round_2',
  'appraised',
  'published',
] as const;
export type UnitStage = (typeof UNIT_STAGES)[number];

/**
 * pending: the step of this stage is open and not yet done;
 * overdue: its deadline passed and it is still not done;
 * submitted: the unit's part is done and it waits on the appraisers;
 * done: nothing is owed any more.
 */
export const UNIT_STATUSES = ['pending', 'overdue', 'submitted', 'done'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const UNIT_FLAGS = ['missing_submission', 'submitted_late', 'explanation_unanswered', 'returned_by_council'] as const;
export type UnitFlag = (typeof UNIT_FLAGS)[number];

export const UNIT_STAGE_LABEL_VI: Record<UnitStage, string> = {
  self_assessment: 'Tự đánh giá',
  appraisal_round_1: 'Thẩm định vòng 1',
  explanations: 'Giải trình',
  appraisal_round_2: 'Thẩm định vòng 2',
  appraised: 'Đã thẩm định',
  published: 'Đã công bố',
};

export const UNIT_STATUS_LABEL_VI: Record<UnitStatus, string> = {
  pending: 'Đang chờ',
  overdue: 'Quá hạn',
  submitted: 'Đã nộp',
  done: 'Hoàn thành',
};

export const UNIT_FLAG_LABEL_VI: Record<UnitFlag, string> = {
  missing_submission: 'Không nộp báo cáo tự đánh giá',
  submitted_late: 'Nộp muộn',
  explanation_unanswered: 'Chưa trả lời giải trình',
  returned_by_council: 'Hội đồng trả lại',
};

/** Business workflow ID of a campaign, e.g. par-2019-hn. */
export function campaignIdOf(definition: { year: number; slug: string }): string {
  return `par-${definition.year}-${definition.slug}`;
}

/** The deadlines that can be extended for one unit. */
export const UNIT_DEADLINE_KEYS = ['self_assessment_due', 'explanations_due'] as const;
export type UnitDeadlineKey = (typeof UNIT_DEADLINE_KEYS)[number];

/** Business workflow ID of a unit, e.g. par-2019-hn/unit-STP. */
export function unitWorkflowId(campaignId: string, unitCode: string): string {
  return `${campaignId}/unit-${unitCode}`;
}

/** Business workflow ID of a campaign's survey track, e.g. par-2019-hn/survey. */
export function surveyWorkflowId(campaignId: string): string {
  return `${campaignId}/survey`;
}

/**
 * Area code → the contributors that own it and so appraise it. Area codes are
 * user data, so the map has no prototype ("constructor" is an area like any
 * other); a copy that went through JSON (a workflow's input) is read with ownValue.
 */
export function areaOwners(contributors: readonly { unit: string; areas_owned: readonly string[] }[]): Record<string, string[]> {
  const owners: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const contributor of contributors) {
    for (const area of contributor.areas_owned) (owners[area] ??= []).push(contributor.unit);
  }
  return owners;
}

/** record[key] when key is the record's own property, never an inherited member such as "constructor" or "toString". */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

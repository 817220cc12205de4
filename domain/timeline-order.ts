import type { Timeline } from './campaign';
import { parseDeadline } from './deadlines';
import { issue, type ValidationIssue } from './issues';

// Apart from campaign.ts (zod schemas) so that the campaign workflow can check a moved deadline without zod,
// which every workflow would otherwise evaluate once more (BENCHMARKS.md, what a cached unit workflow costs).

/** Deadlines of the main track, in the order they must fall. */
export const TIMELINE_ORDER = [
  'guidance_due',
  'self_assessment_due',
  'appraisal_round_1_due',
  'explanations_due',
  'appraisal_round_2_due',
  'council_due',
  'publication_due',
] as const;

/** Deadlines of the main track must not run backwards, and the council meets after the survey results are in. */
export function timelineOrderIssues(timeline: Timeline): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (let i = 1; i < TIMELINE_ORDER.length; i++) {
    const earlierKey = TIMELINE_ORDER[i - 1]!;
    const laterKey = TIMELINE_ORDER[i]!;
    const earlier = parseDeadline(timeline[earlierKey]);
    const later = parseDeadline(timeline[laterKey]);
    if (earlier !== null && later !== null && later < earlier) {
      found.push(
        issue(['timeline', laterKey], 'timeline_order',
          `Hạn ${laterKey} phải sau hạn ${earlierKey}`,
          `${laterKey} must not be before ${earlierKey}`),
      );
    }
  }
  const survey = parseDeadline(timeline.survey_results_due);
  const council = parseDeadline(timeline.council_due);
  if (survey !== null && council !== null && council < survey) {
    found.push(
      issue(['timeline', 'council_due'], 'timeline_order',
        'Hạn họp Hội đồng phải sau hạn nộp kết quả điều tra xã hội học',
        'council_due must not be before survey_results_due'),
    );
  }
  return found;
}

import { z } from 'zod';
import { surveyResultsSchema, type SurveyResults } from '../../domain/steps';
import type { SurveyProgress } from '../../contracts/messages';
import type { ImportResult, ImportSummary, SurveyPointsReport } from '../../application/services/survey-answers';
import { evidenceWire } from './campaign';
import type { Same, SnakeKeys } from '../../application/wire-keys';

/**
 * The survey track on the wire (application/wire-keys.ts): the results step's body,
 * the progress every survey step answers, and the answer import's summary and
 * points report.
 */

export const surveyProgressWire = z.object({
  campaign_id: z.string(),
  status: z.enum(['awaiting_plan', 'plan_submitted', 'plan_approved', 'fieldwork_open', 'fieldwork_closed', 'accepted']),
  plan: z.object({ document: evidenceWire, summary: z.string(), submitted_at: z.string() }).nullable(),
  plan_reviews: z.array(z.object({ approve: z.boolean(), reason: z.string(), reviewed_at: z.string() })),
  fieldwork_opened_at: z.string().nullable(),
  fieldwork_closed_at: z.string().nullable(),
  accepted_at: z.string().nullable(),
  units_covered: z.number(),
});

export type SurveyProgressWire = z.input<typeof surveyProgressWire>;

export function surveyProgressToWire(progress: SurveyProgress): SurveyProgressWire {
  return {
    campaign_id: progress.campaignId,
    status: progress.status,
    plan: progress.plan && { document: progress.plan.document, summary: progress.plan.summary, submitted_at: progress.plan.submittedAt },
    plan_reviews: progress.planReviews.map(({ approve, reason, reviewedAt }) => ({ approve, reason, reviewed_at: reviewedAt })),
    fieldwork_opened_at: progress.fieldworkOpenedAt,
    fieldwork_closed_at: progress.fieldworkClosedAt,
    accepted_at: progress.acceptedAt,
    units_covered: progress.unitsCovered,
  };
}

const resultPoint = surveyResultsSchema.shape.points.element.shape;
export const surveyResultsWire = z.strictObject({
  points: z
    .array(z.strictObject({ unit_code: resultPoint.unitCode, points_centi: resultPoint.pointsCenti.meta({ description: 'điểm điều tra × 100 / survey points in hundredths' }) }))
    .min(1)
    .max(20_000),
  source: surveyResultsSchema.shape.source,
});

export function surveyResultsFromWire(body: z.output<typeof surveyResultsWire>): SurveyResults {
  return { points: body.points.map(({ unit_code, points_centi }) => ({ unitCode: unit_code, pointsCenti: points_centi })), source: body.source };
}

const importSummaryWire = z.object({
  import_id: z.string(),
  campaign_id: z.string(),
  checksum: z.string().meta({ description: 'sha256 của tệp / of the file (hex)' }),
  format: z.enum(['csv', 'xlsx']),
  layout: z.enum(['long', 'wide']),
  file_rows: z.number(),
  answers: z.number(),
  valid_answers: z.number(),
  respondents: z.number(),
  units: z.number(),
  imported_by: z.string(),
  imported_at: z.string(),
});

function importSummaryToWire(summary: ImportSummary): z.input<typeof importSummaryWire> {
  return {
    import_id: summary.importId,
    campaign_id: summary.campaignId,
    checksum: summary.checksum,
    format: summary.format,
    layout: summary.layout,
    file_rows: summary.fileRows,
    answers: summary.answers,
    valid_answers: summary.validAnswers,
    respondents: summary.respondents,
    units: summary.units,
    imported_by: summary.importedBy,
    imported_at: summary.importedAt,
  };
}

export const importResultWire = z.object({
  created: z.boolean().meta({ description: 'false: đúng tệp này đã được nhập, không thay đổi gì / this file was already imported, nothing changed' }),
  summary: importSummaryWire,
});

export function importResultToWire(result: ImportResult): z.input<typeof importResultWire> {
  return { created: result.created, summary: importSummaryToWire(result.summary) };
}

export const pointsReportWire = z.object({
  campaign_id: z.string(),
  import: importSummaryWire.nullable(),
  min_valid_answers: z.number(),
  units: z.array(
    z.object({
      unit_code: z.string(),
      name_vi: z.string(),
      group_code: z.string(),
      points_centi: z.number().meta({ description: 'điểm điều tra × 100 / survey points in hundredths' }),
      max_centi: z.number(),
      answers: z.number(),
      valid_answers: z.number(),
      respondents: z.number(),
      flags: z.array(z.enum(['no_answers', 'few_answers'])),
      questions_below_minimum: z.array(z.string()),
      questions: z.array(
        z.object({
          code: z.string(),
          max_centi: z.number(),
          answers: z.number(),
          valid_count: z.number(),
          sum_weight_hundredths: z.number(),
          points_centi: z.number(),
        }),
      ),
      respondent_groups: z.array(z.object({ code: z.string(), valid_answers: z.number(), respondents: z.number() })),
    }),
  ),
});

export function pointsReportToWire(report: SurveyPointsReport): z.input<typeof pointsReportWire> {
  return {
    campaign_id: report.campaignId,
    import: report.import && importSummaryToWire(report.import),
    min_valid_answers: report.minValidAnswers,
    units: report.units.map((unit) => ({
      unit_code: unit.unitCode,
      name_vi: unit.nameVi,
      group_code: unit.groupCode,
      points_centi: unit.pointsCenti,
      max_centi: unit.maxCenti,
      answers: unit.answers,
      valid_answers: unit.validAnswers,
      respondents: unit.respondents,
      flags: unit.flags,
      questions_below_minimum: unit.questionsBelowMinimum,
      questions: unit.questions.map((question) => ({
        code: question.code,
        max_centi: question.maxCenti,
        answers: question.answers,
        valid_count: question.validCount,
        sum_weight_hundredths: question.sumWeightHundredths,
        points_centi: question.pointsCenti,
      })),
      respondent_groups: unit.respondentGroups.map(({ code, validAnswers, respondents }) => ({ code, valid_answers: validAnswers, respondents })),
    })),
  };
}

export const pointsSubmissionWire = z.object({
  progress: surveyProgressWire,
  source: z.string(),
  points: z.array(z.object({ unit_code: z.string(), points_centi: z.number() })),
});

export function pointsSubmissionToWire(submission: { progress: SurveyProgress; source: string; points: SurveyResults['points'] }): z.input<typeof pointsSubmissionWire> {
  return {
    progress: surveyProgressToWire(submission.progress),
    source: submission.source,
    points: submission.points.map(({ unitCode, pointsCenti }) => ({ unit_code: unitCode, points_centi: pointsCenti })),
  };
}

// Drift checks: each wire shape is its workflow or service type respelt, field for field.
type Assert<T extends true> = T;
export type SurveyWireMatchesDomain = [
  Assert<Same<z.output<typeof surveyProgressWire>, SnakeKeys<SurveyProgress>>>,
  Assert<Same<z.output<typeof surveyResultsWire>, SnakeKeys<SurveyResults>>>,
  Assert<Same<z.output<typeof importResultWire>, SnakeKeys<ImportResult>>>,
  Assert<Same<z.output<typeof pointsReportWire>, SnakeKeys<SurveyPointsReport>>>,
];

import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../../domain/actors';
import { actorLabel } from '../../domain/actors';
import type { CampaignDefinition } from '../../domain/campaign';
import type { ValidationIssue } from '../../domain/issues';
import { sumCenti } from '../../domain/scoring/points';
import { computeSurveyPoints } from '../../domain/scoring/survey';
import {
  checkSurveyRow,
  fileIssue,
  isBlankRow,
  readSurveyHeader,
  surveyAnswerModel,
  type FileIssue,
  type SurveyAnswer,
  type SurveyLayout,
  type SurveyUnitFlag,
} from '../../domain/survey-answers';
import { ANSWER_BATCH_SIZE, type QuestionTally, type SurveyAnswerRepository, type SurveyImport } from '../../db/repositories/survey-answers';
import { readSurveyFile, spoolUpload, SurveyFileError, type SurveyFileFormat } from '../../formats/survey-files';
import { createSurveyTemplateCsv, createSurveyTemplateWorkbook } from '../../formats/survey-template';
import { authorize } from '../auth/authorize';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { StepContext, StepService } from './steps';

/**
 * The survey answers of a campaign: import of the institute's files,
 * the template, the points computed from the import's tallies, and their submission to the
 * survey track. Importing is streaming end to end: the upload goes to a
 * temporary file (sha256 on the way), then rows are checked one by one and
 * inserted in batches inside one transaction, which a single problem rolls back.
 */

export interface SurveyAnswerServiceDeps {
  answers: Pick<SurveyAnswerRepository, 'findCampaign' | 'currentImport' | 'importAnswers' | 'questionTallies' | 'respondentGroupCounts'>;
  /** The survey track's results step (application/services/steps.ts); only submit() needs it. */
  submitResults: StepService['survey']['submitResults'];
  options?: Partial<SurveyAnswerOptions>;
}

export interface SurveyAnswerOptions {
  /** Problems listed in a refusal; the rest are counted. */
  maxIssues: number;
  maxUploadBytes: number;
  /** A unit whose question has fewer valid answers than this is flagged (GET …/survey/points?min_valid_answers= overrides it). */
  defaultMinValidAnswers: number;
  tempDir: string | undefined;
  clock: () => Date;
}

const DEFAULTS: SurveyAnswerOptions = {
  maxIssues: 1000,
  maxUploadBytes: 1024 * 1024 * 1024,
  defaultMinValidAnswers: 30,
  tempDir: undefined,
  clock: () => new Date(),
};

export interface ImportSummary {
  importId: string;
  campaignId: string;
  checksum: string;
  format: SurveyFileFormat;
  layout: SurveyLayout;
  fileRows: number;
  answers: number;
  validAnswers: number;
  respondents: number;
  units: number;
  importedBy: string;
  importedAt: string;
}

export interface ImportResult {
  /** false: this very file was already the current import, nothing changed. */
  created: boolean;
  summary: ImportSummary;
}

export interface SurveyPointsReport {
  campaignId: string;
  import: ImportSummary | null;
  minValidAnswers: number;
  units: {
    unitCode: string;
    nameVi: string;
    groupCode: string;
    pointsCenti: number;
    maxCenti: number;
    answers: number;
    validAnswers: number;
    respondents: number;
    flags: SurveyUnitFlag[];
    questionsBelowMinimum: string[];
    questions: { code: string; maxCenti: number; answers: number; validCount: number; sumWeightHundredths: number; pointsCenti: number }[];
    respondentGroups: { code: string; validAnswers: number; respondents: number }[];
  }[];
}

export function createSurveyAnswerService({ answers, submitResults, options }: SurveyAnswerServiceDeps) {
  const settings: SurveyAnswerOptions = { ...DEFAULTS, ...options };

  async function requireCampaign(campaignId: string) {
    const campaign = await answers.findCampaign(campaignId);
    if (!campaign) throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    return campaign;
  }

  const frozen = () =>
    new ConflictError(
      'survey_answers_frozen',
      'Kết quả điều tra đã được chấp nhận; dữ liệu trả lời không thể thay đổi',
      'The survey results have been accepted; the answers can no longer change',
    );

  /**
   * Imports one file (CSV or XLSX, long or wide layout). Throws a
   * ValidationError listing up to maxIssues problems (row, column, reason) when
   * the file has any; then nothing is stored.
   */
  async function importFile(campaignId: string, source: Readable, actor: Actor): Promise<ImportResult> {
    authorize(actor, 'survey.answers');
    const campaign = await requireCampaign(campaignId);
    if (campaign.surveyStatus === 'accepted') {
      source.resume();
      throw frozen();
    }
    let spooled;
    try {
      spooled = await spoolUpload(source, { maxBytes: settings.maxUploadBytes, dir: settings.tempDir });
    } catch (error) {
      if (error instanceof SurveyFileError) throw refusal([error.issue], 1);
      throw error;
    }
    try {
      if (spooled.bytes === 0) throw refusal([fileIssue(0, -1, '', 'empty_file', 'tệp rỗng', 'the file is empty')], 1);
      const model = surveyAnswerModel(campaign.definition);
      const importId = randomUUID();
      const outcome = await answers.importAnswers<{ issues: FileIssue[]; total: number }>(campaignId, spooled.checksum, async (tx) => {
        const issues: FileIssue[] = [];
        let total = 0;
        const report = (found: readonly FileIssue[]) => {
          total += found.length;
          for (const one of found) if (issues.length < settings.maxIssues) issues.push(one);
        };

        let header: ReturnType<typeof readSurveyHeader> | undefined;
        let fileRows = 0;
        let batch: SurveyAnswer[] = [];
        // One batch in flight while the next is read: parsing and inserting overlap.
        let pending: Promise<void> = Promise.resolve();
        const flush = async () => {
          const rows = batch;
          batch = [];
          await pending;
          pending = tx.insertAnswers(importId, rows).then((duplicates) =>
            report(
              duplicates.map((duplicate) =>
                fileIssue(
                  duplicate.row,
                  -1,
                  '',
                  'duplicate_answer',
                  `người trả lời ${duplicate.respondentId} đã trả lời câu ${duplicate.questionCode} về đơn vị ${duplicate.unitCode} ở dòng ${duplicate.firstRow}`,
                  `respondent ${duplicate.respondentId} already answered ${duplicate.questionCode} about ${duplicate.unitCode} on row ${duplicate.firstRow}`,
                ),
              ),
            ),
          );
          // A rejection is awaited (and thrown) at the next flush or at the end; keep it from being unhandled meanwhile.
          pending.catch(() => {});
        };

        try {
          for await (const { row, cells } of readSurveyFile(spooled.path, spooled.format)) {
            if (header === undefined) {
              header = readSurveyHeader(model, cells, row);
              if (!header.ok) {
                report(header.issues);
                break;
              }
              const layout = header.header.layout;
              await tx.begin({ id: importId, checksum: spooled.checksum, format: spooled.format, layout, importedBy: actorLabel(actor), importedAt: settings.clock() });
              continue;
            }
            if (!header.ok || isBlankRow(cells)) continue;
            fileRows++;
            const checked = checkSurveyRow(model, header.header, row, cells);
            if (checked.issues.length) report(checked.issues);
            // Valid rows keep going in after a problem, so duplicates are still found and reported.
            for (const one of checked.answers) batch.push(one);
            if (batch.length >= ANSWER_BATCH_SIZE) await flush();
          }
        } catch (error) {
          if (!(error instanceof SurveyFileError)) throw error;
          report([error.issue]);
        }
        if (header === undefined && total === 0) report([fileIssue(0, -1, '', 'empty_file', 'tệp không có dòng tiêu đề', 'the file has no header row')]);
        else if (header?.ok && fileRows === 0 && total === 0) report([fileIssue(0, -1, '', 'empty_file', 'tệp không có dòng dữ liệu nào', 'the file has no data row')]);
        if (header?.ok) {
          await flush();
          await pending;
          const conflicts = await tx.respondentGroupConflicts(importId, settings.maxIssues);
          const column = header.header.respondentGroup;
          report(
            conflicts.rows.map((conflict) =>
              fileIssue(
                conflict.row,
                column,
                'respondent_group',
                'respondent_group_conflict',
                `người trả lời ${conflict.respondentId} thuộc đối tượng ${conflict.firstGroup} ở dòng ${conflict.firstRow}, không thể là ${conflict.respondentGroup}`,
                `respondent ${conflict.respondentId} is in group ${conflict.firstGroup} on row ${conflict.firstRow}, not ${conflict.respondentGroup}`,
              ),
            ),
          );
          total += conflicts.total - conflicts.rows.length;
        }
        if (total > 0) {
          issues.sort((a, b) => a.row - b.row || a.column.length - b.column.length || a.column.localeCompare(b.column));
          return { commit: false, value: { issues, total } };
        }
        await tx.finish(importId, fileRows);
        return { commit: true, importId };
      });

      switch (outcome.kind) {
        case 'frozen':
          throw frozen();
        case 'rejected':
          throw refusal(outcome.value.issues, outcome.value.total);
        case 'unchanged':
          return { created: false, summary: summaryOf(outcome.import) };
        case 'imported':
          return { created: true, summary: summaryOf(outcome.import) };
      }
    } finally {
      await spooled.remove();
    }
  }

  function refusal(issues: readonly FileIssue[], total: number): ValidationError {
    const listed: ValidationIssue[] = issues.map((found) => ({
      path: found.row > 0 ? [found.row, found.column, found.field].filter((part) => part !== '') : [],
      code: found.code,
      message_vi: found.message_vi,
      message_en: found.message_en,
    }));
    if (total > issues.length) {
      listed.push({
        path: [],
        code: 'more_issues',
        message_vi: `Còn ${total - issues.length} lỗi khác chưa liệt kê`,
        message_en: `${total - issues.length} more problems not listed`,
      });
    }
    return new ValidationError(
      listed,
      `Tệp kết quả điều tra có ${total} lỗi; không dòng nào được lưu`,
      `The survey answer file has ${total} problem${total === 1 ? '' : 's'}; nothing was stored`,
    );
  }

  async function template(campaignId: string, layout: SurveyLayout, format: SurveyFileFormat, actor: Actor) {
    authorize(actor, 'survey.read');
    const { definition } = await requireCampaign(campaignId);
    const filename = `mau-dieu-tra-${campaignId}-${layout}.${format}`;
    return format === 'xlsx'
      ? { filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: Buffer.from(await createSurveyTemplateWorkbook(definition, layout)) }
      : { filename, contentType: 'text/csv; charset=utf-8', body: Buffer.from(createSurveyTemplateCsv(definition, layout), 'utf8') };
  }

  async function computePoints(campaignId: string, definition: CampaignDefinition, minValidAnswers: number): Promise<SurveyPointsReport> {
    const current = await answers.currentImport(campaignId);
    const tallies = current ? await answers.questionTallies(current.id) : [];
    const groupRows = current ? await answers.respondentGroupCounts(current.id) : [];
    const talliesOf = new Map<string, QuestionTally[]>();
    for (const tally of tallies) {
      const list = talliesOf.get(tally.unitCode);
      if (list) list.push(tally);
      else talliesOf.set(tally.unitCode, [tally]);
    }
    const key = (unit: string, other: string) => `${unit}\u0000${other}`;
    const byGroup = new Map(groupRows.map((row) => [key(row.unitCode, row.respondentGroup), row]));

    const units = definition.units.map((unit) => {
      const survey = definition.framework.groups[unit.group]!.survey;
      const unitTallies = talliesOf.get(unit.code) ?? [];
      const breakdown = computeSurveyPoints(survey, { kind: 'aggregates', questions: unitTallies });
      // The import let in only the questions of each unit's survey and weights within 0..100.
      if (!breakdown.ok) throw new Error(`The survey tallies of ${unit.code} do not fit its survey: ${breakdown.error.map((error) => error.message_en).join('; ')}`);
      const answersOf = new Map(unitTallies.map((tally) => [tally.questionCode, tally.answers]));
      const questions = (breakdown.value.questions ?? []).map((line) => ({
        code: line.code,
        maxCenti: line.maxCenti,
        answers: answersOf.get(line.code) ?? 0,
        validCount: line.aggregate?.validCount ?? 0,
        sumWeightHundredths: line.aggregate?.sumWeightHundredths ?? 0,
        pointsCenti: line.pointsCenti,
      }));
      const respondentGroups = survey.respondent_groups.map((group) => {
        const row = byGroup.get(key(unit.code, group.code));
        return { code: group.code, validAnswers: row?.validAnswers ?? 0, respondents: row?.respondents ?? 0 };
      });
      const validAnswers = sumCenti(questions.map((question) => question.validCount));
      const questionsBelowMinimum = questions.filter((question) => question.validCount < minValidAnswers).map((question) => question.code);
      const flags: SurveyUnitFlag[] = validAnswers === 0 ? ['no_answers'] : questionsBelowMinimum.length > 0 ? ['few_answers'] : [];
      return {
        unitCode: unit.code,
        nameVi: unit.name_vi,
        groupCode: unit.group,
        pointsCenti: breakdown.value.pointsCenti,
        maxCenti: breakdown.value.maxCenti,
        answers: sumCenti(questions.map((question) => question.answers)),
        validAnswers,
        // Each respondent belongs to one respondent group (checked at import), so the groups add up.
        respondents: sumCenti(respondentGroups.map((group) => group.respondents)),
        flags,
        questionsBelowMinimum,
        questions,
        respondentGroups,
      };
    });
    return { campaignId, import: current ? summaryOf(current) : null, minValidAnswers, units };
  }

  return {
    importFile,
    template,

    async points(campaignId: string, actor: Actor, minValidAnswers = settings.defaultMinValidAnswers): Promise<SurveyPointsReport> {
      authorize(actor, 'survey.read');
      const { definition } = await requireCampaign(campaignId);
      return computePoints(campaignId, definition, minValidAnswers);
    },

    /**
     * Submits the points of the current import to the survey track
     * (submitSurveyResults; its validator checks every unit is covered and
     * within the max, and accepting freezes the answers). The update ID defaults
     * to the import's checksum, so a retried submission is the same update.
     */
    async submit(campaignId: string, ctx: StepContext) {
      authorize(ctx.actor, 'survey.results');
      const { definition } = await requireCampaign(campaignId);
      const report = await computePoints(campaignId, definition, settings.defaultMinValidAnswers);
      if (report.import === null) {
        throw new ConflictError('no_survey_answers', 'Chưa nhập kết quả điều tra nào', 'No survey answers have been imported');
      }
      const missing = report.units.filter((unit) => unit.flags.includes('no_answers'));
      if (missing.length > 0) {
        throw new ConflictError(
          'units_without_answers',
          `Chưa có câu trả lời hợp lệ nào về ${missing.length} đơn vị; nhập đủ dữ liệu trước khi nộp`,
          `${missing.length} unit(s) have no valid answer; import complete answers before submitting`,
          missing.map((unit) => ({
            path: ['units', unit.unitCode],
            code: 'no_answers',
            message_vi: `Đơn vị ${unit.nameVi} (${unit.unitCode}) chưa có câu trả lời hợp lệ`,
            message_en: `Unit ${unit.unitCode} has no valid answer`,
          })),
        );
      }
      const source = `import:${report.import.checksum}`;
      const points = report.units.map((unit) => ({ unitCode: unit.unitCode, pointsCenti: unit.pointsCenti }));
      const progress = await submitResults(campaignId, { points, source }, { ...ctx, idempotencyKey: ctx.idempotencyKey ?? `survey-import-${report.import.checksum}` });
      return { progress, source, points };
    },
  };
}

function summaryOf(row: SurveyImport): ImportSummary {
  return {
    importId: row.id,
    campaignId: row.campaignId,
    checksum: row.checksum,
    format: row.format,
    layout: row.layout,
    fileRows: row.fileRows,
    answers: row.answers,
    validAnswers: row.validAnswers,
    respondents: row.respondents,
    units: row.units,
    importedBy: row.importedBy,
    importedAt: row.importedAt.toISOString(),
  };
}

export type SurveyAnswerService = ReturnType<typeof createSurveyAnswerService>;

import type { CampaignDefinition } from './campaign';
import type { Survey } from './framework/schema';
import { toCenti, type Centi } from './scoring/points';
import { describeTextFault, findTextFault } from './text-rules';

/**
 * The rows of a survey answer file, checked against the campaign's
 * survey model. Pure: the readers in formats/ turn bytes into rows of text
 * cells, this module turns them into answers or into problems at their row and
 * column, and the importer stores the answers.
 *
 * Two layouts, told apart by the header (row 1):
 *  - long: respondent_id, respondent_group, unit_code, question_code, answer —
 *    one row per respondent × rated unit × question;
 *  - wide: respondent_id, respondent_group, unit_code, S1 … Sn — one row per
 *    respondent × rated unit, a column per question; a blank cell is a question
 *    the respondent was not asked.
 */

export type SurveyLayout = 'long' | 'wide';

export const LONG_COLUMNS = ['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer'] as const;
export const WIDE_FIXED_COLUMNS = ['respondent_id', 'respondent_group', 'unit_code'] as const;

/** Respondent IDs are the institute's own (phiếu số …); long enough for any numbering, short enough to index. */
export const RESPONDENT_ID_MAX = 100;

export interface SurveyGroupModel {
  readonly survey: Survey;
  readonly respondentGroups: ReadonlySet<string>;
  /** Question code → max points in hundredths. */
  readonly questions: ReadonlyMap<string, Centi>;
  /** Option code → weight in hundredths, null for "no opinion". */
  readonly options: ReadonlyMap<string, number | null>;
}

export interface SurveyAnswerModel {
  /** Unit code → its group code. */
  readonly units: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, SurveyGroupModel>;
  /** Every question code of any group, in framework order: the wide layout's question columns. */
  readonly questionCodes: readonly string[];
}

export function surveyAnswerModel(definition: Pick<CampaignDefinition, 'units' | 'framework'>): SurveyAnswerModel {
  const groups = new Map<string, SurveyGroupModel>();
  const questionCodes: string[] = [];
  for (const [code, group] of Object.entries(definition.framework.groups)) {
    const { survey } = group;
    groups.set(code, {
      survey,
      respondentGroups: new Set(survey.respondent_groups.map((respondentGroup) => respondentGroup.code)),
      questions: new Map(survey.questions.map((question) => [question.code, toCenti(question.max_points)])),
      options: new Map(survey.answer_options.map((option) => [option.code, option.weight === null ? null : toCenti(option.weight)])),
    });
    for (const question of survey.questions) if (!questionCodes.includes(question.code)) questionCodes.push(question.code);
  }
  return { units: new Map(definition.units.map((unit) => [unit.code, unit.group])), groups, questionCodes };
}

/** A problem in the file at its row (1 = header) and column (A, B, …). */
export interface FileIssue {
  readonly row: number;
  readonly column: string;
  /** The header of the column, e.g. question_code or S3. */
  readonly field: string;
  readonly code: FileIssueCode;
  readonly message_vi: string;
  readonly message_en: string;
}

export type FileIssueCode =
  | 'empty_file'
  | 'unreadable_file'
  | 'bad_header'
  | 'missing_value'
  | 'value_too_long'
  | 'invalid_characters'
  | 'unknown_unit'
  | 'unknown_question'
  | 'option_not_allowed'
  | 'missing_respondent_group'
  | 'unknown_respondent_group'
  | 'respondent_group_conflict'
  | 'duplicate_answer';

export interface SurveyAnswer {
  readonly row: number;
  readonly respondentId: string;
  readonly respondentGroup: string;
  readonly unitCode: string;
  readonly questionCode: string;
  readonly optionCode: string;
  readonly weightHundredths: number | null;
}

/** Where each field sits in the file, learnt from its header. */
export interface SurveyHeader {
  readonly layout: SurveyLayout;
  readonly respondentId: number;
  readonly respondentGroup: number;
  readonly unitCode: number;
  /** long layout */
  readonly questionCode: number;
  readonly answer: number;
  /** wide layout: column index → question code */
  readonly questionColumns: readonly (readonly [number, string])[];
  readonly names: readonly string[];
}

/** A, B, …, Z, AA, AB, …: the spreadsheet name of a 0-based column index. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function fileIssue(row: number, columnIndex: number, field: string, code: FileIssueCode, vi: string, en: string): FileIssue {
  const column = columnIndex < 0 ? '' : columnLetter(columnIndex);
  const fieldText = field ? ` (${field})` : '';
  const where =
    row <= 0
      ? { vi: 'Tệp', en: 'File' }
      : column
        ? { vi: `Dòng ${row}, cột ${column}${fieldText}`, en: `Row ${row}, column ${column}${fieldText}` }
        : { vi: `Dòng ${row}`, en: `Row ${row}` };
  return { row, column, field, code, message_vi: `${where.vi}: ${vi}`, message_en: `${where.en}: ${en}` };
}

const normalizeName = (cell: string) => cell.replace(/^\uFEFF/, '').trim().toLowerCase();

/** Reads the header row: which layout, and where each field is. Every problem is at row `row`. */
export function readSurveyHeader(model: SurveyAnswerModel, cells: readonly string[], row = 1): { ok: true; header: SurveyHeader } | { ok: false; issues: FileIssue[] } {
  const names = cells.map(normalizeName);
  const issues: FileIssue[] = [];
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') return;
    if (positions.has(name)) {
      issues.push(fileIssue(row, index, cells[index]!.trim(), 'bad_header', `cột "${cells[index]!.trim()}" bị lặp`, `column "${cells[index]!.trim()}" appears twice`));
    } else positions.set(name, index);
  });
  const layout: SurveyLayout = positions.has('question_code') || positions.has('answer') ? 'long' : 'wide';
  const required = layout === 'long' ? LONG_COLUMNS : WIDE_FIXED_COLUMNS;
  const lastIndex = names.reduce((last, name, index) => (name === '' ? last : index), -1);
  for (const name of required) {
    if (!positions.has(name)) {
      issues.push(
        fileIssue(row, lastIndex + 1, name, 'bad_header', `thiếu cột ${name} (mẫu ${layout === 'long' ? 'dọc' : 'ngang'}: ${expectedHeader(model, layout)})`, `column ${name} is missing (${layout} layout: ${expectedHeader(model, layout)})`),
      );
    }
  }
  const questionColumns: [number, string][] = [];
  const known = new Set<string>(required);
  const questions = new Set(model.questionCodes);
  names.forEach((name, index) => {
    if (name === '' || known.has(name)) return;
    const code = cells[index]!.trim().toUpperCase();
    if (layout === 'wide' && questions.has(code)) {
      questionColumns.push([index, code]);
      return;
    }
    issues.push(
      layout === 'wide'
        ? fileIssue(row, index, cells[index]!.trim(), 'unknown_question', `câu hỏi "${cells[index]!.trim()}" không có trong bộ câu hỏi điều tra (${model.questionCodes.join(', ')})`, `question "${cells[index]!.trim()}" is not in the survey (${model.questionCodes.join(', ')})`)
        : fileIssue(row, index, cells[index]!.trim(), 'bad_header', `cột "${cells[index]!.trim()}" không thuộc mẫu dọc (${expectedHeader(model, 'long')})`, `column "${cells[index]!.trim()}" is not in the long layout (${expectedHeader(model, 'long')})`),
    );
  });
  if (layout === 'wide' && questionColumns.length === 0 && issues.length === 0) {
    issues.push(fileIssue(row, lastIndex + 1, '', 'bad_header', `không có cột câu hỏi nào (${expectedHeader(model, 'wide')})`, `no question column (${expectedHeader(model, 'wide')})`));
  }
  if (issues.length > 0) return { ok: false, issues };
  const at = (name: string) => positions.get(name) ?? -1;
  return {
    ok: true,
    header: {
      layout,
      respondentId: at('respondent_id'),
      respondentGroup: at('respondent_group'),
      unitCode: at('unit_code'),
      questionCode: at('question_code'),
      answer: at('answer'),
      questionColumns,
      names: cells.map((cell) => cell.trim()),
    },
  };
}

export function expectedHeader(model: SurveyAnswerModel, layout: SurveyLayout): string {
  return (layout === 'long' ? [...LONG_COLUMNS] : [...WIDE_FIXED_COLUMNS, ...model.questionCodes]).join(', ');
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/**
 * Checks one data row; returns its answers (none for a row with any problem)
 * and its problems. Codes are compared in upper case, cells trimmed.
 */
export function checkSurveyRow(model: SurveyAnswerModel, header: SurveyHeader, row: number, cells: readonly string[]): { answers: SurveyAnswer[]; issues: FileIssue[] } {
  const issues: FileIssue[] = [];
  const cell = (index: number) => (cells[index] ?? '').trim();
  const field = (index: number) => header.names[index] ?? '';
  const problem = (index: number, code: FileIssueCode, vi: string, en: string) => issues.push(fileIssue(row, index, field(index), code, vi, en));

  const respondentId = cell(header.respondentId);
  if (respondentId === '') problem(header.respondentId, 'missing_value', 'thiếu mã người trả lời', 'the respondent ID is missing');
  else if (respondentId.length > RESPONDENT_ID_MAX) problem(header.respondentId, 'value_too_long', `mã người trả lời dài quá ${RESPONDENT_ID_MAX} ký tự`, `the respondent ID is longer than ${RESPONDENT_ID_MAX} characters`);
  else {
    // The one free-text cell kept as written: the same characters refused as in any typed text.
    const fault = findTextFault(respondentId, false);
    if (fault) {
      const words = describeTextFault(fault);
      problem(header.respondentId, 'invalid_characters', `mã người trả lời: ${words.message_vi}`, `the respondent ID: ${words.message_en}`);
    }
  }

  const unitCode = cell(header.unitCode).toUpperCase();
  const groupCode = unitCode === '' ? undefined : model.units.get(unitCode);
  const group = groupCode === undefined ? undefined : model.groups.get(groupCode);
  if (unitCode === '') problem(header.unitCode, 'missing_value', 'thiếu mã đơn vị được đánh giá', 'the rated unit code is missing');
  else if (group === undefined) problem(header.unitCode, 'unknown_unit', `đơn vị "${cell(header.unitCode)}" không thuộc đợt đánh giá`, `unit "${cell(header.unitCode)}" is not in the campaign`);

  const respondentGroup = cell(header.respondentGroup).toUpperCase();
  if (respondentGroup === '') {
    problem(header.respondentGroup, 'missing_respondent_group', 'thiếu đối tượng khảo sát (nhóm người trả lời)', 'the respondent group is missing');
  } else if (group !== undefined && !group.respondentGroups.has(respondentGroup)) {
    problem(
      header.respondentGroup,
      'unknown_respondent_group',
      `đối tượng khảo sát "${cell(header.respondentGroup)}" không có trong phiếu của nhóm ${groupCode} (${[...group.respondentGroups].join(', ')})`,
      `respondent group "${cell(header.respondentGroup)}" is not in the survey of group ${groupCode} (${[...group.respondentGroups].join(', ')})`,
    );
  }

  const answers: SurveyAnswer[] = [];
  const answer = (questionIndex: number, questionCode: string, answerIndex: number) => {
    if (group !== undefined && !group.questions.has(questionCode)) {
      problem(questionIndex, 'unknown_question', `câu hỏi "${questionCode}" không có trong phiếu của nhóm ${groupCode}`, `question "${questionCode}" is not in the survey of group ${groupCode}`);
      return;
    }
    const optionText = cell(answerIndex);
    const optionCode = optionText.toUpperCase();
    if (optionCode === '') {
      problem(answerIndex, 'missing_value', 'thiếu câu trả lời', 'the answer is missing');
      return;
    }
    if (group === undefined) return;
    const weight = group.options.get(optionCode);
    if (weight === undefined) {
      problem(answerIndex, 'option_not_allowed', `phương án "${optionText}" không được phép (${[...group.options.keys()].join(', ')})`, `answer option "${optionText}" is not allowed (${[...group.options.keys()].join(', ')})`);
      return;
    }
    answers.push({ row, respondentId, respondentGroup, unitCode, questionCode, optionCode, weightHundredths: weight });
  };

  if (header.layout === 'long') {
    const questionCode = cell(header.questionCode).toUpperCase();
    if (questionCode === '') problem(header.questionCode, 'missing_value', 'thiếu mã câu hỏi', 'the question code is missing');
    else if (!model.questionCodes.includes(questionCode)) {
      problem(header.questionCode, 'unknown_question', `câu hỏi "${cell(header.questionCode)}" không có trong bộ câu hỏi điều tra`, `question "${cell(header.questionCode)}" is not in the survey`);
    } else answer(header.questionCode, questionCode, header.answer);
  } else {
    for (const [index, questionCode] of header.questionColumns) {
      if (cell(index) === '') continue;
      answer(index, questionCode, index);
    }
  }
  return issues.length > 0 ? { answers: [], issues } : { answers, issues };
}

/** Why a unit's survey points deserve a second look: no valid answer at all, or a question below its minimum of answers. */
export type SurveyUnitFlag = 'no_answers' | 'few_answers';
export const SURVEY_UNIT_FLAG_LABEL_VI: Record<SurveyUnitFlag, string> = { no_answers: 'Không có phiếu', few_answers: 'Ít phiếu hợp lệ' };

import type { Survey } from '../framework/schema';
import { divideRoundHalfUp, sumCenti, toCenti, type Centi, type Parsed } from './points';

/**
 * Survey (điều tra xã hội học) points of one unit.
 *
 * Per question the mean weight of the valid answers is held exactly as a pair
 * of integers: the sum of the answers' weights in hundredths and the number of
 * valid answers ("no opinion" answers, weight null, are not counted). Then
 *   question points = max × sumWeightHundredths / (100 × validCount),
 * rounded half-up to hundredths (rounding place 2 of points.ts), and the unit's
 * survey points are the exact sum of the question points.
 *
 * Some institutes deliver only the survey points per unit (Hanoi's institute
 * reports "points per unit"); those are accepted as they are, within the max.
 */

export type SurveyQuestionAggregate = {
  readonly questionCode: string;
  readonly sumWeightHundredths: number;
  readonly validCount: number;
};

export type SurveyResult =
  | { readonly kind: 'aggregates'; readonly questions: readonly SurveyQuestionAggregate[] }
  | { readonly kind: 'points'; readonly pointsCenti: Centi };

export type SurveyQuestionLine = {
  readonly code: string;
  readonly text_vi: string;
  readonly maxCenti: Centi;
  /** undefined when the question has no aggregate; it then counts 0. */
  readonly aggregate: SurveyQuestionAggregate | undefined;
  readonly pointsCenti: Centi;
};

export type SurveyBreakdown = {
  /** false when the unit has no survey result at all. */
  readonly held: boolean;
  readonly maxCenti: Centi;
  readonly pointsCenti: Centi;
  /** Per-question lines when the result came as aggregates. */
  readonly questions: readonly SurveyQuestionLine[] | undefined;
  /** Questions with no valid answer (or no aggregate): they count 0. */
  readonly questionsWithoutAnswers: readonly string[];
};

export type SurveyErrorCode =
  | 'unknown_question'
  | 'duplicate_question'
  | 'invalid_aggregate'
  | 'survey_points_above_max'
  | 'unknown_answer_option';

export type SurveyError = {
  readonly code: SurveyErrorCode;
  readonly questionCode?: string;
  readonly message_vi: string;
  readonly message_en: string;
};

export function computeSurveyPoints(
  survey: Survey,
  result: SurveyResult | undefined,
): Parsed<SurveyBreakdown, readonly SurveyError[]> {
  const maxCenti = toCenti(survey.max_points);
  if (result === undefined) {
    return ok({ held: false, maxCenti, pointsCenti: 0, questions: undefined, questionsWithoutAnswers: [] });
  }
  if (result.kind === 'points') {
    if (!Number.isSafeInteger(result.pointsCenti) || result.pointsCenti < 0 || result.pointsCenti > maxCenti) {
      return {
        ok: false,
        error: [
          {
            code: 'survey_points_above_max',
            message_vi: `Điểm điều tra XHH ${result.pointsCenti / 100} phải nằm trong khoảng 0..${maxCenti / 100}`,
            message_en: `Survey points ${result.pointsCenti / 100} must be within 0..${maxCenti / 100}`,
          },
        ],
      };
    }
    return ok({ held: true, maxCenti, pointsCenti: result.pointsCenti, questions: undefined, questionsWithoutAnswers: [] });
  }

  const errors = checkAggregates(survey, result.questions);
  if (errors.length > 0) return { ok: false, error: errors };

  const byCode = new Map(result.questions.map((aggregate) => [aggregate.questionCode, aggregate]));
  const questions = survey.questions.map((question): SurveyQuestionLine => {
    const aggregate = byCode.get(question.code);
    const questionMax = toCenti(question.max_points);
    const pointsCenti =
      aggregate === undefined || aggregate.validCount === 0
        ? 0
        : divideRoundHalfUp(
            BigInt(questionMax) * BigInt(aggregate.sumWeightHundredths),
            100n * BigInt(aggregate.validCount),
          );
    return { code: question.code, text_vi: question.text_vi, maxCenti: questionMax, aggregate, pointsCenti };
  });
  return ok({
    held: true,
    maxCenti,
    pointsCenti: sumCenti(questions.map((line) => line.pointsCenti)),
    questions,
    questionsWithoutAnswers: questions
      .filter((line) => line.aggregate === undefined || line.aggregate.validCount === 0)
      .map((line) => line.code),
  });
}

/**
 * The exact aggregate of one question from answer counts per option code,
 * e.g. { A: 12, B: 30, C: 5, D: 1, X: 4 }; options without a weight are left out.
 */
export function aggregateAnswerCounts(
  survey: Survey,
  questionCode: string,
  countsByOption: Readonly<Record<string, number>>,
): Parsed<SurveyQuestionAggregate, SurveyError> {
  let sumWeightHundredths = 0;
  let validCount = 0;
  for (const [optionCode, count] of Object.entries(countsByOption)) {
    const option = survey.answer_options.find((candidate) => candidate.code === optionCode);
    if (option === undefined || !Number.isSafeInteger(count) || count < 0) {
      return {
        ok: false,
        error: {
          code: 'unknown_answer_option',
          questionCode,
          message_vi: `Câu hỏi ${questionCode}: phương án "${optionCode}" hoặc số lượng ${count} không hợp lệ`,
          message_en: `Question ${questionCode}: answer option "${optionCode}" or count ${count} is not valid`,
        },
      };
    }
    if (option.weight === null) continue;
    sumWeightHundredths += toCenti(option.weight) * count;
    validCount += count;
  }
  return ok({ questionCode, sumWeightHundredths, validCount });
}

function checkAggregates(survey: Survey, aggregates: readonly SurveyQuestionAggregate[]): SurveyError[] {
  const known = new Set(survey.questions.map((question) => question.code));
  const seen = new Set<string>();
  const errors: SurveyError[] = [];
  for (const aggregate of aggregates) {
    const code = aggregate.questionCode;
    if (!known.has(code)) {
      errors.push({
        code: 'unknown_question',
        questionCode: code,
        message_vi: `Câu hỏi ${code} không có trong bộ câu hỏi điều tra`,
        message_en: `Question ${code} is not in the survey`,
      });
    } else if (seen.has(code)) {
      errors.push({
        code: 'duplicate_question',
        questionCode: code,
        message_vi: `Câu hỏi ${code} có nhiều kết quả tổng hợp`,
        message_en: `Question ${code} has more than one aggregate`,
      });
    }
    seen.add(code);
    const { sumWeightHundredths: sum, validCount: count } = aggregate;
    const exactIntegers = Number.isSafeInteger(sum) && Number.isSafeInteger(count);
    if (!exactIntegers || count < 0 || sum < 0 || sum > 100 * count) {
      errors.push({
        code: 'invalid_aggregate',
        questionCode: code,
        message_vi: `Câu hỏi ${code}: tổng trọng số ${sum} (phần trăm) và số phiếu hợp lệ ${count} không hợp lệ`,
        message_en: `Question ${code}: weight sum ${sum} (hundredths) and valid count ${count} are not valid`,
      });
    }
  }
  return errors;
}

function ok<T>(value: T): Parsed<T, never> {
  return { ok: true, value };
}

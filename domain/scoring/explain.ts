import type { Framework } from '../framework/schema';
import { findSubcriterion } from '../framework/tree';
import type { PassRowFlag } from './pass';
import { formatCentiVi, formatPercentVi, toCenti, type Centi } from './points';
import type { RankedEntry, RankingEntry } from './ranking';
import type { ColumnPoints } from './rollup';
import { describeInputVi, describeRuleVi } from './rules';
import { SCORE_COLUMN_LABEL_VI, SCORE_COLUMNS, type ScoreColumn, type ScoreInput } from './score-entry';
import type { SurveyQuestionLine } from './survey';
import type { UnitResult } from './unit-result';

/**
 * The breakdown a unit reads when it disputes its index: every number with
 * where it came from. Amounts stay in hundredths; `lines_vi` spells the
 * roll-up out in Vietnamese, one line per step, ready to print.
 */

export type MarkExplanation = {
  readonly column: ScoreColumn;
  readonly input: ScoreInput;
  readonly input_vi: string;
  readonly pointsCenti: Centi;
  readonly setBy: string;
  readonly setAt: string;
  readonly note: string | undefined;
};

export type SubcriterionExplanation = {
  readonly code: string;
  readonly name_vi: string;
  readonly maxCenti: Centi;
  readonly ruleKind: string;
  readonly rule_vi: string;
  readonly owner: string;
  readonly evidenceRequired: boolean;
  readonly marks: readonly MarkExplanation[];
  readonly finalColumn: ScoreColumn | undefined;
  readonly points: ColumnPoints;
};

export type NodeExplanation = {
  readonly code: string;
  readonly name_vi: string;
  readonly maxCenti: Centi;
  readonly points: ColumnPoints;
};

export type UnitExplanation = {
  readonly unit: { readonly code: string; readonly name_vi: string };
  readonly group: { readonly code: string; readonly name_vi: string };
  readonly areas: readonly (NodeExplanation & {
    readonly criteria: readonly (NodeExplanation & { readonly subcriteria: readonly SubcriterionExplanation[] })[];
  })[];
  readonly assessed: { readonly maxCenti: Centi; readonly points: ColumnPoints; readonly unscored: readonly string[] };
  readonly survey: {
    readonly held: boolean;
    readonly maxCenti: Centi;
    readonly pointsCenti: Centi;
    readonly questions: readonly SurveyQuestionLine[] | undefined;
  };
  readonly rescaledAssessedCenti: Centi | undefined;
  readonly bonusCenti: Centi;
  readonly penaltyCenti: Centi;
  readonly totalCenti: Centi;
  readonly maxCenti: Centi;
  readonly indexPercentCenti: Centi;
  readonly rank: number | undefined;
  readonly band: { readonly code: string; readonly name_vi: string } | undefined;
  /**
   * The engine's flags; an explanation of a stored result carries the flags
   * stored with it (the unit's workflow flags too), the same as the ranking.
   */
  readonly flags: readonly PassRowFlag[];
  readonly lines_vi: readonly string[];
};

export function explainUnit(
  framework: Framework,
  result: UnitResult,
  ranked?: Pick<RankedEntry<RankingEntry>, 'rank' | 'band'>,
): UnitExplanation {
  const group = framework.groups[result.groupCode];
  if (group === undefined) throw new RangeError(`Unit group ${result.groupCode} is not in the framework`);

  const areas = result.assessed.areas.map((area) => ({
    code: area.code,
    name_vi: area.name_vi,
    maxCenti: area.maxCenti,
    points: area.points,
    criteria: area.criteria.map((criterion) => ({
      code: criterion.code,
      name_vi: criterion.name_vi,
      maxCenti: criterion.maxCenti,
      points: criterion.points,
      subcriteria: criterion.subcriteria.map((line): SubcriterionExplanation => {
        const sub = findSubcriterion(group, line.code)?.subcriterion;
        if (sub === undefined) throw new RangeError(`Sub-criterion ${line.code} is not in the framework`);
        const marks = SCORE_COLUMNS.flatMap((column): MarkExplanation[] => {
          const mark = line.score?.[column];
          if (mark === undefined) return [];
          return [
            {
              column,
              input: mark.input,
              input_vi: describeInputVi(mark.input),
              pointsCenti: mark.pointsCenti,
              setBy: mark.setBy,
              setAt: mark.setAt,
              note: mark.note,
            },
          ];
        });
        return {
          code: sub.code,
          name_vi: sub.name_vi,
          maxCenti: line.maxCenti,
          ruleKind: sub.rule.kind,
          rule_vi: describeRuleVi(sub),
          owner: sub.owner,
          evidenceRequired: sub.evidence_required,
          marks,
          finalColumn: line.finalColumn,
          points: line.points,
        };
      }),
    })),
  }));

  const totals = result.totals;
  const maxCenti = toCenti(group.max_points);
  return {
    unit: result.unit,
    group: { code: result.groupCode, name_vi: group.name_vi },
    areas,
    assessed: { maxCenti: result.assessed.maxCenti, points: result.assessed.points, unscored: result.assessed.unscored.final },
    survey: {
      held: result.survey.held,
      maxCenti: result.survey.maxCenti,
      pointsCenti: totals.surveyCenti,
      questions: result.survey.questions,
    },
    rescaledAssessedCenti: totals.rescaledAssessedCenti,
    bonusCenti: totals.bonusCenti,
    penaltyCenti: totals.penaltyCenti,
    totalCenti: totals.totalCenti,
    maxCenti,
    indexPercentCenti: totals.indexPercentCenti,
    rank: ranked?.rank,
    band: ranked?.band === undefined ? undefined : { code: ranked.band.code, name_vi: ranked.band.name_vi },
    flags: totals.flags,
    lines_vi: explanationLines(result, areas, maxCenti, ranked),
  };
}

function explanationLines(
  result: UnitResult,
  areas: UnitExplanation['areas'],
  maxCenti: Centi,
  ranked: Pick<RankedEntry<RankingEntry>, 'rank' | 'band'> | undefined,
): string[] {
  const lines: string[] = [];
  for (const area of areas) {
    for (const criterion of area.criteria) {
      for (const sub of criterion.subcriteria) {
        const source = sub.finalColumn === undefined ? 'chưa chấm, tính 0' : `lấy từ ${SCORE_COLUMN_LABEL_VI[sub.finalColumn]}`;
        const marks = sub.marks.map(
          (mark) =>
            `${SCORE_COLUMN_LABEL_VI[mark.column]}: ${mark.input_vi} → ${formatCentiVi(mark.pointsCenti)} (${mark.setBy}, ${mark.setAt}${mark.note ? `, ${mark.note}` : ''})`,
        );
        lines.push(
          `Tiêu chí thành phần ${sub.code} (tối đa ${formatCentiVi(sub.maxCenti)}; ${sub.rule_vi}): ${[...marks, `điểm cuối cùng ${formatCentiVi(sub.points.final)} (${source})`].join('; ')}`,
        );
      }
      lines.push(sumLine(`Tiêu chí ${criterion.code}`, criterion, criterion.subcriteria));
    }
    lines.push(sumLine(`Lĩnh vực ${area.code}`, area, area.criteria));
  }
  lines.push(sumLine('Điểm thẩm định', { maxCenti: result.assessed.maxCenti, points: result.assessed.points }, areas));

  const totals = result.totals;
  for (const question of result.survey.questions ?? []) {
    const aggregate = question.aggregate;
    const detail =
      aggregate === undefined || aggregate.validCount === 0
        ? 'không có phiếu hợp lệ, tính 0'
        : `${formatCentiVi(question.maxCenti)} × ${aggregate.sumWeightHundredths / 100} / ${aggregate.validCount} phiếu hợp lệ, làm tròn`;
    lines.push(`Câu hỏi ${question.code}: ${detail} = ${formatCentiVi(question.pointsCenti)}`);
  }
  lines.push(
    result.survey.held
      ? `Điểm điều tra XHH: ${formatCentiVi(totals.surveyCenti)} / ${formatCentiVi(result.survey.maxCenti)}`
      : 'Điểm điều tra XHH: không có kết quả điều tra',
  );
  if (totals.rescaledAssessedCenti !== undefined) {
    lines.push(
      `Không có điều tra XHH: điểm thẩm định quy đổi ${formatCentiVi(totals.assessedCenti)} × ${formatCentiVi(maxCenti)} / ${formatCentiVi(result.assessed.maxCenti)} = ${formatCentiVi(totals.rescaledAssessedCenti)}`,
    );
  }
  lines.push(`Điểm cộng: ${formatCentiVi(totals.bonusCenti)}; điểm trừ: ${formatCentiVi(totals.penaltyCenti)}`);
  lines.push(`Tổng điểm: ${formatCentiVi(totals.totalCenti)} / ${formatCentiVi(maxCenti)}`);
  lines.push(`Chỉ số CCHC: ${formatPercentVi(totals.indexPercentCenti)}`);
  if (ranked !== undefined) {
    lines.push(`Xếp hạng: ${ranked.rank}${ranked.band === undefined ? '' : `; xếp loại: ${ranked.band.name_vi}`}`);
  }
  return lines;
}

function sumLine(
  label: string,
  node: { readonly maxCenti: Centi; readonly points: ColumnPoints },
  children: readonly { readonly code: string; readonly points: ColumnPoints }[],
): string {
  const parts = children.map((child) => `${child.code} (${formatCentiVi(child.points.final)})`).join(' + ');
  return `${label}: ${parts} = ${formatCentiVi(node.points.final)} / ${formatCentiVi(node.maxCenti)}`;
}

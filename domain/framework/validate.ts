import { formatCentiVi, parseCenti, sumCenti, type Centi } from '../scoring/points';
import { shapeIssuesFromZod, type FrameworkIssue, type FrameworkIssueCode, type JsonPath } from './issues';
import {
  FrameworkSchema,
  FrameworkShapeSchema,
  isRuleKind,
  ManualRuleSchema,
  TiersRuleSchema,
  type Framework,
  type FrameworkShape,
  type Tier,
} from './schema';

export type FrameworkValidation =
  | { readonly ok: true; readonly framework: Framework }
  | { readonly ok: false; readonly issues: readonly FrameworkIssue[] };

type ShapeGroup = FrameworkShape['groups'][string];
type ShapeSubcriterion = ShapeGroup['areas'][number]['criteria'][number]['subcriteria'][number];

/**
 * Validates a framework document and returns every problem, never only the
 * first. Shape problems (missing fields, wrong types) come first; the
 * arithmetic and rule checks need a well-shaped document, so they run once the
 * shape is right, with an unknown rule kind let through the shape check so it
 * is reported together with the arithmetic mistakes.
 */
export function validateFramework(input: unknown): FrameworkValidation {
  const shape = FrameworkShapeSchema.safeParse(input, { reportInput: true });
  if (!shape.success) return { ok: false, issues: shapeIssuesFromZod(shape.error.issues) };

  const issues = checkFrameworkSemantics(shape.data);
  if (issues.length > 0) return { ok: false, issues };

  // Only known rule kinds remain, so the strict schema accepts the document.
  const strict = FrameworkSchema.safeParse(input, { reportInput: true });
  if (!strict.success) return { ok: false, issues: shapeIssuesFromZod(strict.error.issues) };
  return { ok: true, framework: strict.data };
}

export function checkFrameworkSemantics(framework: FrameworkShape): FrameworkIssue[] {
  const issues = new IssueList();
  const groupEntries = Object.entries(framework.groups);
  if (groupEntries.length === 0) {
    issues.add(['groups'], 'no_groups', 'Bộ tiêu chí phải có ít nhất một nhóm đơn vị', 'The framework needs at least one unit group');
  }
  for (const [groupCode, group] of groupEntries) checkGroup(issues, ['groups', groupCode], group);
  return issues.all();
}

function checkGroup(issues: IssueList, path: JsonPath, group: ShapeGroup): void {
  const treeCodes = new CodeRegistry(issues, 'lĩnh vực, tiêu chí hoặc tiêu chí thành phần', 'area, criterion or sub-criterion');
  const maxPoints = issues.centi([...path, 'max_points'], group.max_points);
  const assessedMax = issues.centi([...path, 'assessed_max_points'], group.assessed_max_points);

  if (group.areas.length === 0) {
    issues.add([...path, 'areas'], 'no_children', 'Nhóm chưa có lĩnh vực nào', 'The group has no areas');
  }
  const areaMaxes = group.areas.map((area, areaIndex) => {
    const areaPath = [...path, 'areas', areaIndex];
    treeCodes.register([...areaPath, 'code'], area.code);
    const areaMax = issues.centi([...areaPath, 'max_points'], area.max_points);
    if (area.criteria.length === 0) {
      issues.add([...areaPath, 'criteria'], 'no_children', `Lĩnh vực ${area.code} chưa có tiêu chí`, `Area ${area.code} has no criteria`);
    }
    const criterionMaxes = area.criteria.map((criterion, criterionIndex) => {
      const criterionPath = [...areaPath, 'criteria', criterionIndex];
      treeCodes.register([...criterionPath, 'code'], criterion.code);
      const criterionMax = issues.centi([...criterionPath, 'max_points'], criterion.max_points);
      if (criterion.subcriteria.length === 0) {
        issues.add(
          [...criterionPath, 'subcriteria'],
          'no_children',
          `Tiêu chí ${criterion.code} chưa có tiêu chí thành phần`,
          `Criterion ${criterion.code} has no sub-criteria`,
        );
      }
      const subMaxes = criterion.subcriteria.map((sub, subIndex) => {
        const subPath = [...criterionPath, 'subcriteria', subIndex];
        treeCodes.register([...subPath, 'code'], sub.code);
        return checkSubcriterion(issues, subPath, sub);
      });
      expectSum(issues, [...criterionPath, 'max_points'], criterionMax, subMaxes, 'criterion_sum_mismatch', {
        vi: `Tổng điểm tối đa các tiêu chí thành phần của tiêu chí ${criterion.code}`,
        en: `The sub-criteria of criterion ${criterion.code} add up to`,
      });
      return criterionMax;
    });
    expectSum(issues, [...areaPath, 'max_points'], areaMax, criterionMaxes, 'area_sum_mismatch', {
      vi: `Tổng điểm tối đa các tiêu chí của lĩnh vực ${area.code}`,
      en: `The criteria of area ${area.code} add up to`,
    });
    return areaMax;
  });
  expectSum(issues, [...path, 'assessed_max_points'], assessedMax, areaMaxes, 'assessed_sum_mismatch', {
    vi: 'Tổng điểm tối đa các lĩnh vực',
    en: 'The areas add up to',
  });

  const surveyMax = checkSurvey(issues, [...path, 'survey'], group.survey);
  if (maxPoints !== undefined && assessedMax !== undefined && surveyMax !== undefined && assessedMax + surveyMax !== maxPoints) {
    issues.add(
      [...path, 'max_points'],
      'group_total_mismatch',
      `Điểm thẩm định tối đa (${formatCentiVi(assessedMax)}) + điểm điều tra XHH tối đa (${formatCentiVi(surveyMax)}) khác điểm tối đa của nhóm (${formatCentiVi(maxPoints)})`,
      `Assessed max (${en(assessedMax)}) + survey max (${en(surveyMax)}) differs from the group max (${en(maxPoints)})`,
    );
  }

  issues.centi([...path, 'bonus_penalty', 'bonus_max'], group.bonus_penalty.bonus_max);
  issues.centi([...path, 'bonus_penalty', 'penalty_max'], group.bonus_penalty.penalty_max);
  if (group.classification !== undefined) checkClassification(issues, [...path, 'classification'], group.classification);
}

/** Returns the sub-criterion's max in hundredths, or undefined when it is not exact. */
function checkSubcriterion(issues: IssueList, path: JsonPath, sub: ShapeSubcriterion): Centi | undefined {
  const max = issues.centi([...path, 'max_points'], sub.max_points);
  const rule = sub.rule;
  if (!isRuleKind(rule.kind)) {
    issues.add(
      [...path, 'rule', 'kind'],
      'unknown_rule_kind',
      `Tiêu chí thành phần ${sub.code}: loại quy tắc "${rule.kind}" không được hỗ trợ (chỉ nhận boolean, tiers, ratio, manual)`,
      `Sub-criterion ${sub.code}: unknown rule kind "${rule.kind}" (expected boolean, tiers, ratio or manual)`,
    );
    return max;
  }
  // The shape check already matched known kinds against their schemas; parsing
  // again only recovers the typed rule.
  const tiersRule = TiersRuleSchema.safeParse(rule);
  if (tiersRule.success) checkTiers(issues, [...path, 'rule', 'tiers'], sub.code, max, tiersRule.data.tiers);
  const manualRule = ManualRuleSchema.safeParse(rule);
  if (manualRule.success) {
    const step = issues.centi([...path, 'rule', 'step'], manualRule.data.step);
    if (max !== undefined && step !== undefined && step > 0 && max % step !== 0) {
      issues.add(
        [...path, 'rule', 'step'],
        'manual_max_not_multiple_of_step',
        `Tiêu chí thành phần ${sub.code}: điểm tối đa ${formatCentiVi(max)} không chia hết cho bước ${formatCentiVi(step)}`,
        `Sub-criterion ${sub.code}: max ${en(max)} is not a multiple of the step ${en(step)}`,
      );
    }
  }
  return max;
}

function checkTiers(issues: IssueList, path: JsonPath, subCode: string, max: Centi | undefined, tiers: readonly Tier[]): void {
  let previous: { min?: Centi; points?: Centi } | undefined;
  tiers.forEach((tier, index) => {
    const min = issues.centi([...path, index, 'min'], tier.min);
    const points = issues.centi([...path, index, 'points'], tier.points);
    if (max !== undefined && points !== undefined && points > max) {
      issues.add(
        [...path, index, 'points'],
        'tier_above_max',
        `Tiêu chí thành phần ${subCode}: mức ${index + 1} cho ${formatCentiVi(points)} điểm, vượt điểm tối đa ${formatCentiVi(max)}`,
        `Sub-criterion ${subCode}: tier ${index + 1} gives ${en(points)} points, above the max ${en(max)}`,
      );
    }
    if (previous?.min !== undefined && min !== undefined && min >= previous.min) {
      issues.add(
        [...path, index, 'min'],
        'tiers_not_descending',
        `Tiêu chí thành phần ${subCode}: các mức phải xếp theo ngưỡng giảm dần, mức ${index + 1} (${formatCentiVi(min)}%) không nhỏ hơn mức trước (${formatCentiVi(previous.min)}%)`,
        `Sub-criterion ${subCode}: tiers must be ordered by min descending; tier ${index + 1} (${en(min)}%) is not below the previous one (${en(previous.min)}%)`,
      );
    }
    if (previous?.points !== undefined && points !== undefined && points > previous.points) {
      issues.add(
        [...path, index, 'points'],
        'tier_points_not_descending',
        `Tiêu chí thành phần ${subCode}: mức ${index + 1} có ngưỡng thấp hơn nhưng cho nhiều điểm hơn mức trước`,
        `Sub-criterion ${subCode}: tier ${index + 1} has a lower min but gives more points than the previous tier`,
      );
    }
    previous = { min, points };
  });
}

function checkSurvey(issues: IssueList, path: JsonPath, survey: ShapeGroup['survey']): Centi | undefined {
  const surveyMax = issues.centi([...path, 'max_points'], survey.max_points);
  const questionCodes = new CodeRegistry(issues, 'câu hỏi', 'question');
  const questionMaxes = survey.questions.map((question, index) => {
    questionCodes.register([...path, 'questions', index, 'code'], question.code);
    return issues.centi([...path, 'questions', index, 'max_points'], question.max_points);
  });
  expectSum(issues, [...path, 'max_points'], surveyMax, questionMaxes, 'survey_sum_mismatch', {
    vi: 'Tổng điểm tối đa các câu hỏi điều tra XHH',
    en: 'The survey questions add up to',
  });

  const optionCodes = new CodeRegistry(issues, 'phương án trả lời', 'answer option');
  survey.answer_options.forEach((option, index) => {
    const optionPath = [...path, 'answer_options', index];
    optionCodes.register([...optionPath, 'code'], option.code);
    if (option.weight === null) return;
    if (option.weight < 0 || option.weight > 1) {
      issues.add(
        [...optionPath, 'weight'],
        'answer_weight_out_of_range',
        `Phương án ${option.code}: trọng số ${option.weight} phải nằm trong khoảng 0..1`,
        `Answer option ${option.code}: weight ${option.weight} must be within 0..1`,
      );
    } else {
      issues.centi([...optionPath, 'weight'], option.weight);
    }
  });
  if (survey.questions.length > 0 && !survey.answer_options.some((option) => option.weight !== null)) {
    issues.add(
      [...path, 'answer_options'],
      'no_weighted_answer_option',
      'Có câu hỏi điều tra nhưng không có phương án trả lời nào được tính điểm',
      'There are survey questions but no answer option carries a weight',
    );
  }

  const respondentCodes = new CodeRegistry(issues, 'đối tượng khảo sát', 'respondent group');
  survey.respondent_groups.forEach((respondent, index) =>
    respondentCodes.register([...path, 'respondent_groups', index, 'code'], respondent.code),
  );
  return surveyMax;
}

function checkClassification(
  issues: IssueList,
  path: JsonPath,
  bands: NonNullable<ShapeGroup['classification']>,
): void {
  const codes = new CodeRegistry(issues, 'xếp loại', 'classification band');
  let previousMin: Centi | undefined;
  bands.forEach((band, index) => {
    codes.register([...path, index, 'code'], band.code);
    if (band.min_percent < 0 || band.min_percent > 100) {
      issues.add(
        [...path, index, 'min_percent'],
        'band_out_of_range',
        `Xếp loại ${band.code}: ngưỡng ${band.min_percent}% phải nằm trong khoảng 0..100`,
        `Band ${band.code}: min ${band.min_percent}% must be within 0..100`,
      );
      return;
    }
    const min = issues.centi([...path, index, 'min_percent'], band.min_percent);
    if (previousMin !== undefined && min !== undefined && min >= previousMin) {
      issues.add(
        [...path, index, 'min_percent'],
        'bands_not_descending',
        `Xếp loại ${band.code}: các mức xếp loại phải xếp theo ngưỡng giảm dần`,
        `Band ${band.code}: bands must be ordered by min_percent descending`,
      );
    }
    previousMin = min ?? previousMin;
  });
}

function expectSum(
  issues: IssueList,
  path: JsonPath,
  expected: Centi | undefined,
  parts: readonly (Centi | undefined)[],
  code: FrameworkIssueCode,
  subject: { vi: string; en: string },
): void {
  if (expected === undefined || parts.some((part) => part === undefined)) return;
  const actual = sumCenti(parts as Centi[]);
  if (actual === expected) return;
  issues.add(
    path,
    code,
    `${subject.vi} là ${formatCentiVi(actual)}, khác điểm tối đa ${formatCentiVi(expected)}`,
    `${subject.en} ${en(actual)}, not the max ${en(expected)}`,
  );
}

function en(value: Centi): string {
  return formatCentiVi(value).replace(',', '.');
}

class IssueList {
  private readonly issues: FrameworkIssue[] = [];

  add(path: JsonPath, code: FrameworkIssueCode, message_vi: string, message_en: string): void {
    this.issues.push({ path, code, message_vi, message_en });
  }

  /** The value in hundredths, or undefined (and an issue) when it has more than two decimals. */
  centi(path: JsonPath, value: number): Centi | undefined {
    const parsed = parseCenti(value);
    if (parsed.ok) return parsed.value;
    this.add(
      path,
      'too_many_decimals',
      `Giá trị ${value} có quá 2 chữ số thập phân`,
      `Value ${value} has more than 2 decimal places`,
    );
    return undefined;
  }

  all(): FrameworkIssue[] {
    return [...this.issues];
  }
}

/** Reports the second and later uses of a code within one namespace. */
class CodeRegistry {
  private readonly seen = new Map<string, JsonPath>();

  constructor(
    private readonly issues: IssueList,
    private readonly kindVi: string,
    private readonly kindEn: string,
  ) {}

  register(path: JsonPath, code: string): void {
    if (!this.seen.has(code)) {
      this.seen.set(code, path);
      return;
    }
    this.issues.add(
      path,
      'duplicate_code',
      `Mã ${this.kindVi} "${code}" bị trùng`,
      `Duplicate ${this.kindEn} code "${code}"`,
    );
  }
}

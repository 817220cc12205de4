import type { ValidationIssue } from '../../domain/issues';
import { formatCentiVi } from '../../domain/scoring/points';
import type { SurveyWorkflowInput } from './run';

/** Every unit covered exactly once, nothing unknown, points within the group's survey maximum. */
export function checkSurveyPoints(input: SurveyWorkflowInput, points: { unitCode: string; pointsCenti: number }[]): ValidationIssue[] {
  const groupOf = new Map(input.units.map((unit) => [unit.code, unit.group]));
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  points.forEach((entry, index) => {
    const group = groupOf.get(entry.unitCode);
    if (group === undefined) {
      issues.push({ path: ['points', index, 'unitCode'], code: 'unknown_unit', message_vi: `Đơn vị ${entry.unitCode} không thuộc đợt đánh giá`, message_en: `Unit ${entry.unitCode} is not in the campaign` });
      return;
    }
    if (seen.has(entry.unitCode)) {
      issues.push({ path: ['points', index, 'unitCode'], code: 'duplicate_unit', message_vi: `Đơn vị ${entry.unitCode} có hai kết quả`, message_en: `Unit ${entry.unitCode} appears twice` });
    }
    seen.add(entry.unitCode);
    const max = input.maxPointsCentiByGroup[group] ?? 0;
    if (entry.pointsCenti > max) {
      issues.push({
        path: ['points', index, 'pointsCenti'],
        code: 'points_above_max',
        message_vi: `Đơn vị ${entry.unitCode}: ${formatCentiVi(entry.pointsCenti)} điểm vượt điểm tối đa ${formatCentiVi(max)}`,
        message_en: `Unit ${entry.unitCode}: ${entry.pointsCenti / 100} points is above the max ${max / 100}`,
      });
    }
  });
  for (const unit of input.units) {
    if (!seen.has(unit.code)) {
      issues.push({ path: ['points'], code: 'missing_unit', message_vi: `Thiếu kết quả của đơn vị ${unit.code}`, message_en: `No result for unit ${unit.code}` });
    }
  }
  return issues;
}

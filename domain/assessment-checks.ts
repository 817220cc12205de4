import type { FrameworkGroup, Subcriterion } from './framework';
import { listSubcriteria } from './framework/tree';
import { issue, type ValidationIssue } from './issues';
import { ownValue } from './units';
import { evaluateRule } from './scoring/rules';
import { formatCentiVi, type Centi } from './scoring/points';
import type { ScoreInput } from './scoring/score-entry';
import type { AppraisedScore, Evidence, SelfScore } from './steps';

/**
 * Checks of a unit's self-assessment and of an area appraisal against the
 * framework: pure, so the workflow validators and the API's draft check share
 * them. Each problem names the sub-criterion in both languages.
 */

export interface ScoredEntry {
  code: string;
  input: ScoreInput;
  pointsCenti: Centi;
  note: string;
  evidence: Evidence[];
}

interface Checked {
  issues: ValidationIssue[];
  entries: ScoredEntry[];
}

function scoreEach(
  subs: Subcriterion[],
  scores: { code: string; input: ScoreInput }[],
  pathRoot: string,
  onScored: (sub: Subcriterion, index: number, pointsCenti: Centi) => ValidationIssue[],
): { issues: ValidationIssue[]; points: Map<string, Centi> } {
  const byCode = new Map(subs.map((sub) => [sub.code, sub]));
  const points = new Map<string, Centi>();
  const issues: ValidationIssue[] = [];
  scores.forEach((score, index) => {
    const sub = byCode.get(score.code);
    if (!sub) {
      issues.push(issue([pathRoot, index, 'code'], 'unknown_subcriterion',
        `Tiêu chí thành phần ${score.code} không thuộc phạm vi chấm`,
        `Sub-criterion ${score.code} is not in scope`));
      return;
    }
    if (points.has(score.code)) {
      issues.push(issue([pathRoot, index, 'code'], 'duplicate_subcriterion',
        `Tiêu chí thành phần ${score.code} được chấm hai lần`,
        `Sub-criterion ${score.code} is scored twice`));
      return;
    }
    const evaluated = evaluateRule(sub, score.input);
    if (!evaluated.ok) {
      issues.push(issue([pathRoot, index, 'input'], evaluated.error.code, evaluated.error.message_vi, evaluated.error.message_en));
      return;
    }
    points.set(score.code, evaluated.value);
    issues.push(...onScored(sub, index, evaluated.value));
  });
  for (const sub of subs) {
    if (!points.has(sub.code) && !scores.some((score) => score.code === sub.code)) {
      issues.push(issue([pathRoot], 'missing_subcriterion',
        `Chưa chấm tiêu chí thành phần ${sub.code} (${sub.name_vi})`,
        `Sub-criterion ${sub.code} is not scored`));
    }
  }
  return { issues, points };
}

/** Every sub-criterion of the group scored once; evidence where required, or a note saying how the score was reached. */
export function checkSelfAssessment(group: FrameworkGroup, scores: SelfScore[]): Checked {
  const subs = listSubcriteria(group).map((location) => location.subcriterion);
  const { issues, points } = scoreEach(subs, scores, 'scores', (sub, index) => {
    const score = scores[index]!;
    if (sub.evidence_required && score.evidence.length === 0 && score.note.trim() === '') {
      return [issue(['scores', index, 'evidence'], 'evidence_required',
        `Tiêu chí thành phần ${sub.code}: cần tài liệu kiểm chứng, hoặc giải thích cách tự chấm điểm`,
        `Sub-criterion ${sub.code}: evidence is required, or a note explaining the score`)];
    }
    return [];
  });
  const entries = scores
    .filter((score) => points.has(score.code))
    .map((score) => ({ code: score.code, input: score.input, pointsCenti: points.get(score.code)!, note: score.note, evidence: score.evidence }));
  return { issues, entries };
}

/**
 * Every sub-criterion of the area appraised once, with a reason wherever the
 * appraised points differ from the column before (self for round 1, round 1 for round 2).
 */
export function checkAreaAppraisal(group: FrameworkGroup, areaCode: string, scores: AppraisedScore[], previous: Record<string, Centi>): Checked {
  const area = group.areas.find((candidate) => candidate.code === areaCode);
  if (!area) {
    return {
      issues: [issue(['areaCode'], 'unknown_area', `Lĩnh vực ${areaCode} không có trong bộ tiêu chí của nhóm`, `Area ${areaCode} is not in this group's framework`)],
      entries: [],
    };
  }
  const subs = area.criteria.flatMap((criterion) => criterion.subcriteria);
  const { issues, points } = scoreEach(subs, scores, 'scores', (sub, index, pointsCenti) => {
    const before = ownValue(previous, sub.code);
    const score = scores[index]!;
    if (before !== undefined && before !== pointsCenti && score.reason.trim() === '') {
      return [issue(['scores', index, 'reason'], 'reason_required',
        `Tiêu chí thành phần ${sub.code}: điểm thay đổi từ ${formatCentiVi(before)} thành ${formatCentiVi(pointsCenti)}, cần nêu lý do`,
        `Sub-criterion ${sub.code}: points change from ${before / 100} to ${pointsCenti / 100}; a reason is required`)];
    }
    return [];
  });
  const entries = scores
    .filter((score) => points.has(score.code))
    .map((score) => ({ code: score.code, input: score.input, pointsCenti: points.get(score.code)!, note: score.reason, evidence: [] }));
  return { issues, entries };
}

/** The area a sub-criterion belongs to, or undefined. */
export function areaOfSubcriterion(group: FrameworkGroup, code: string): string | undefined {
  return listSubcriteria(group).find((location) => location.subcriterion.code === code)?.area.code;
}

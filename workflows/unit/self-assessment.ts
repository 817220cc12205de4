import { condition } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import { checkSelfAssessment } from '../../domain/assessment-checks';
import { formatDateTimeVi, toVietnamIso } from '../../domain/deadlines';
import { withoutStepMarks } from '../../domain/returned-marks';
import type { SelfAssessmentSubmission } from '../../domain/steps';
import { waitForDoneOrDeadline } from '../deadline-wait';
import type { Returned, Step, UnitProgress } from '../../contracts/messages';
import type { ChangeDraft } from '../projector';
import { refuseHostileText, reject } from '../reject';
import { requireOwnUnit, requireStage } from './guards';
import type { UnitRun } from './run';
import { scoresEffect } from './scores-effect';

/** The unit's own submission, before its deadline (or an extension), scored against its group's framework. */
export function validateSelfAssessment(run: UnitRun, step: Step<SelfAssessmentSubmission>): void {
  refuseHostileText(step);
  requireOwnUnit(run, step.actor);
  requireStage(run, 'self_assessment', 'nộp tự đánh giá', 'submit the self-assessment');
  const due = run.deadline('self_assessment_due');
  if (Date.now() > due) {
    reject(
      'past_deadline',
      `Đã hết hạn tự đánh giá (${formatDateTimeVi(due)}); biểu mẫu đã khóa, đề nghị Sở Nội vụ gia hạn`,
      `The self-assessment deadline (${toVietnamIso(due)}) has passed; the form is locked until Sở Nội vụ grants an extension`,
    );
  }
  const { issues, entries } = checkSelfAssessment(run.group, step.scores);
  if (issues.length) reject('invalid', 'Bản tự đánh giá chưa hợp lệ', 'The self-assessment is not valid', issues);
  run.scored.keep(entries);
}

/** Takes an accepted submission into the unit's state; returns its change for the read model. */
function acceptSelfAssessment(run: UnitRun, step: Step<SelfAssessmentSubmission>): ChangeDraft {
  const { state, unit } = run;
  // State first, synchronously: the main track must not see a deadline pass after acceptance.
  const now = new Date().toISOString();
  state.submittedAt = now;
  const entries = run.scored.take(() => checkSelfAssessment(run.group, step.scores).entries);
  state.self = Object.fromEntries(entries.map((entry) => [entry.code, entry.pointsCenti]));
  if (Date.now() > state.campaignDeadlines.self_assessment_due) run.addFlag('submitted_late');
  return {
    campaignId: run.campaignId,
    unitCode: unit.code,
    actor: actorLabel(step.actor),
    action: 'self_assessment_submitted',
    after: { approvedBy: step.approvedBy, scored: entries.length },
    effects: [scoresEffect(unit.code, 'self', entries, actorLabel(step.actor), now)],
  };
}

export async function submitSelfAssessment(run: UnitRun, step: Step<SelfAssessmentSubmission>): Promise<UnitProgress> {
  const { projector } = run;
  const submitted = acceptSelfAssessment(run, step);
  // The scores and the stage move in one local activity and one transaction, the least a caller waits on at a
  // deadline's burst of submissions; runs that do not take the change replay the two activities they ran.
  if (run.takes('submission-one-projection')) {
    await projector.emitAll([submitted, run.enter('appraisal_round_1', 'submitted', 'stage_changed')]);
  } else {
    await projector.emit(submitted);
    await run.moveTo('appraisal_round_1', 'submitted', 'stage_changed');
  }
  return run.progress();
}

/**
 * The same step for a caller that projects it (submitSelfAssessmentReturningUpdate):
 * answered from the workflow's state in the task that accepts it, with no
 * activity, so the answer costs the Temporal server what a bare update and
 * the stage's own timers and search attributes cost. The changes carry this
 * run's next keys, so whoever projects them (the API, its sweeper, this run
 * before it continues as new) applies each once.
 */
export function recordSelfAssessment(run: UnitRun, step: Step<SelfAssessmentSubmission>): Returned<UnitProgress> {
  const submitted = acceptSelfAssessment(run, step);
  const changes = run.projector.stamp([submitted, run.enter('appraisal_round_1', 'submitted', 'stage_changed')]);
  run.returned.push(...changes);
  return { answer: run.progress(), changes: changes.map(withoutStepMarks) };
}

/**
 * Waits for the submission. Past the deadline the unit is overdue until an
 * extension reopens the form or appraisal round 1's deadline cuts it off; then
 * it is appraised with nothing submitted (the campaign's missing_submission
 * setting, zero_and_flag: un-scored items count 0).
 */
export async function selfAssessmentStage(run: UnitRun): Promise<void> {
  const { state } = run;
  const submitted = () => state.submittedAt !== null;
  for (;;) {
    const outcome = await waitForDoneOrDeadline(() => run.deadline('self_assessment_due'), submitted);
    if (outcome === 'done') break;
    if (state.status !== 'overdue') await run.moveTo('self_assessment', 'overdue', 'self_assessment_overdue');
    const cutoff = () => Math.max(run.deadline('appraisal_round_1_due'), run.deadline('self_assessment_due'));
    const reachedCutoff = await waitForDoneOrDeadline(cutoff, () => submitted() || run.deadline('self_assessment_due') > Date.now());
    if (submitted()) break;
    if (reachedCutoff === 'done') {
      await run.moveTo('self_assessment', 'pending', 'self_assessment_reopened');
      continue;
    }
    run.addFlag('missing_submission');
    await run.moveTo('appraised', 'done', 'self_assessment_missing');
    await run.reportAppraised();
    return;
  }
  // The submit handler moves the unit on (once its scores are in the read model, unless its caller projects them).
  await condition(() => state.stage !== 'self_assessment');
}

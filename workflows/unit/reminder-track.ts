import type { ReminderPolicy } from '../../domain/reminders';
import { emptyReminderTrackState, runReminderTrack, type OwedStep, type ReminderTrack } from '../reminders';
import type { UnitRun } from './run';

/**
 * Starts the unit's reminder track beside its main track, for runs that take reminders-v1; null otherwise.
 * `firstPolicy` is what its first plan uses without reading it (absent: it reads the policy in force).
 */
export function startReminders(run: UnitRun, firstPolicy: ReminderPolicy | undefined): ReminderTrack | null {
  if (!run.remindersOn) return null;
  const { state } = run;
  state.reminders ??= emptyReminderTrackState();
  return runReminderTrack({
    campaignId: run.campaignId,
    unitCode: run.unit.code,
    unitWorkflowId: run.workflowId,
    owed: () => owedStep(run),
    // From appraisal round 2 on the unit never owes a step again (a council return reopens appraisers' work only).
    finished: () => state.stage === 'appraisal_round_2' || state.stage === 'appraised' || state.stage === 'published',
    state: state.reminders,
    inTask: run.inTask,
    firstPolicy,
  });
}

/** What the unit itself still owes (reminders are for that only): its self-assessment, or its explanation answers. */
export function owedStep(run: UnitRun): OwedStep | null {
  const { state } = run;
  if (state.stage === 'self_assessment' && state.submittedAt === null) {
    return {
      stage: 'self_assessment',
      deadlineMs: run.deadline('self_assessment_due'),
      missing: ['Bản tự đánh giá, chấm điểm (đã được thủ trưởng đơn vị phê duyệt) chưa được nộp'],
    };
  }
  if (state.stage === 'explanations') {
    const open = state.requests.filter((request) => request.answer === null);
    if (open.length === 0) return null;
    return {
      stage: 'explanations',
      deadlineMs: run.deadline('explanations_due'),
      missing: open.map((request) => `Giải trình tiêu chí ${request.code}: ${request.question}`),
    };
  }
  return null;
}

import { allHandlersFinished, condition } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import { formatDateTimeVi, toVietnamIso } from '../../domain/deadlines';
import type { ExplanationAnswer } from '../../domain/steps';
import { waitForDoneOrDeadline } from '../deadline-wait';
import type { Step, UnitProgress } from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { requireOwnUnit, requireStage } from './guards';
import type { UnitRun } from './run';

/** The unit answers an open request of its own, before the explanation deadline (or its extension). */
export function validateExplanationAnswer(run: UnitRun, step: Step<ExplanationAnswer>): void {
  refuseHostileText(step);
  requireOwnUnit(run, step.actor);
  requireStage(run, 'explanations', 'giải trình', 'answer an explanation request');
  const request = run.state.requests.find((candidate) => candidate.id === step.requestId);
  if (!request) reject('not_found', `Không có yêu cầu giải trình ${step.requestId}`, `No explanation request ${step.requestId}`);
  if (request.answer) reject('conflict', 'Yêu cầu này đã được giải trình', 'This request has already been answered');
  const due = run.deadline('explanations_due');
  if (Date.now() > due) {
    reject('past_deadline', `Đã hết hạn giải trình (${formatDateTimeVi(due)})`, `The explanation deadline (${toVietnamIso(due)}) has passed`);
  }
}

export async function answerExplanation(run: UnitRun, step: Step<ExplanationAnswer>): Promise<UnitProgress> {
  const request = run.state.requests.find((candidate) => candidate.id === step.requestId)!;
  const answeredAt = new Date().toISOString();
  request.answer = { note: step.note, evidence: step.evidence, answeredAt };
  await run.projector.emit({
    campaignId: run.campaignId,
    unitCode: run.unit.code,
    actor: actorLabel(step.actor),
    action: 'explanation_answered',
    after: { requestId: step.requestId },
    effects: [{ kind: 'explanation_answer', unitCode: run.unit.code, requestId: step.requestId, note: step.note, evidence: step.evidence, answeredAt }],
  });
  return run.progress();
}

/** Every request answered, or the deadline (flagged); then round 2 for the areas that asked. */
export async function explanationsStage(run: UnitRun): Promise<void> {
  const { state } = run;
  const allAnswered = () => state.requests.every((request) => request.answer !== null);
  const outcome = await waitForDoneOrDeadline(() => run.deadline('explanations_due'), allAnswered);
  await condition(allHandlersFinished);
  if (outcome === 'deadline' && !allAnswered()) run.addFlag('explanation_unanswered');
  state.round2Areas = [...new Set(state.requests.map((request) => request.areaCode))];
  state.appraised.round2 = [];
  await run.moveTo('appraisal_round_2', 'submitted', 'stage_changed');
}

import { allHandlersFinished, condition } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import { areaOfSubcriterion, checkAreaAppraisal } from '../../domain/assessment-checks';
import { toVietnamIso } from '../../domain/deadlines';
import type { Centi } from '../../domain/scoring/points';
import type { AreaAppraisal } from '../../domain/steps';
import { ownValue } from '../../domain/units';
import { waitForDoneOrDeadline } from '../deadline-wait';
import type { ExplanationRequestState, Step, UnitProgress } from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { requireStage } from './guards';
import type { UnitRun } from './run';
import { scoresEffect } from './scores-effect';

/** The points an area's appraisal is compared with: self-assessment in round 1, round 1 over it in round 2. */
function previousPoints(run: UnitRun, round: 1 | 2): Record<string, Centi> {
  return round === 1 ? run.state.self : { ...run.state.self, ...run.state.round1 };
}

/** An owner of the area (or Sở Nội vụ), in the round the unit is in, with a reason for each changed score. */
export function validateAreaAppraisal(run: UnitRun, step: Step<AreaAppraisal>): void {
  refuseHostileText(step);
  const owners = ownValue(run.input.areaOwners, step.areaCode) ?? [];
  const isOwner = step.actor.role === 'contributor' && step.actor.unitCode !== undefined && owners.includes(step.actor.unitCode);
  if (!isOwner && step.actor.role !== 'admin') {
    reject('forbidden', `Lĩnh vực ${step.areaCode} không do đơn vị của bạn thẩm định`, `Area ${step.areaCode} is not appraised by your department`);
  }
  if (step.round === 1) {
    requireStage(run, 'appraisal_round_1', 'thẩm định vòng 1', 'appraise in round 1');
  } else {
    requireStage(run, 'appraisal_round_2', 'thẩm định vòng 2', 'appraise in round 2');
    if (!run.state.round2Areas.includes(step.areaCode)) {
      reject('wrong_stage', `Lĩnh vực ${step.areaCode} không cần thẩm định vòng 2`, `Area ${step.areaCode} is not open for round 2`);
    }
    if (step.explanationRequests.length) {
      reject('invalid', 'Chỉ được yêu cầu giải trình ở vòng 1', 'Explanations can be requested in round 1 only');
    }
  }
  const { issues, entries } = checkAreaAppraisal(run.group, step.areaCode, step.scores, previousPoints(run, step.round));
  step.explanationRequests.forEach((request, index) => {
    if (areaOfSubcriterion(run.group, request.code) !== step.areaCode) {
      issues.push({
        path: ['explanationRequests', index, 'code'],
        code: 'unknown_subcriterion',
        message_vi: `Tiêu chí thành phần ${request.code} không thuộc lĩnh vực ${step.areaCode}`,
        message_en: `Sub-criterion ${request.code} is not in area ${step.areaCode}`,
      });
    }
  });
  if (issues.length) reject('invalid', 'Kết quả thẩm định chưa hợp lệ', 'The appraisal is not valid', issues);
  run.scored.keep(entries);
}

export async function appraiseArea(run: UnitRun, step: Step<AreaAppraisal>): Promise<UnitProgress> {
  const { state, unit } = run;
  const column = step.round === 1 ? 'round1' : 'round2';
  const entries = run.scored.take(() => checkAreaAppraisal(run.group, step.areaCode, step.scores, previousPoints(run, step.round)).entries);
  const now = new Date().toISOString();
  for (const entry of entries) state[column][entry.code] = entry.pointsCenti;
  const appraisedList = state.appraised[column];
  if (!appraisedList.includes(step.areaCode)) appraisedList.push(step.areaCode);
  const newRequests = step.round === 1 ? explanationRequests(run, step) : [];
  // A repeated round-1 appraisal of an area replaces its open requests.
  if (step.round === 1) {
    state.requests = state.requests.filter((request) => request.areaCode !== step.areaCode || request.answer !== null);
    state.requests.push(...newRequests);
  }
  await run.projector.emit({
    campaignId: run.campaignId,
    unitCode: unit.code,
    actor: actorLabel(step.actor),
    action: `area_appraised_round_${step.round}`,
    after: { areaCode: step.areaCode, scored: entries.length, explanationRequests: newRequests.length },
    effects: [
      scoresEffect(unit.code, column, entries, actorLabel(step.actor), now),
      ...(newRequests.length ? [explanationRequestsEffect(run, newRequests)] : []),
    ],
  });
  return run.progress();
}

function explanationRequests(run: UnitRun, step: Step<AreaAppraisal>): ExplanationRequestState[] {
  return step.explanationRequests.map((request, index) => ({
    // Unique within this unit; the read model keys requests by (campaign, unit, id).
    id: `r${run.state.pass}-${step.areaCode}-${run.projector.seq + 1}-${index}`,
    code: request.code,
    areaCode: step.areaCode,
    question: request.question,
    requestedBy: actorLabel(step.actor),
    answer: null,
  }));
}

function explanationRequestsEffect(run: UnitRun, requests: ExplanationRequestState[]) {
  return {
    kind: 'explanation_requests' as const,
    unitCode: run.unit.code,
    requests: requests.map((request) => ({
      id: request.id,
      code: request.code,
      areaCode: request.areaCode,
      question: request.question,
      requestedBy: request.requestedBy,
      dueAt: toVietnamIso(run.deadline('explanations_due')),
    })),
  };
}

/** Every area appraised (overdue past the deadline, still waiting); then explanations if any were asked, else done. */
export async function appraisalRound1Stage(run: UnitRun): Promise<void> {
  const { state } = run;
  const areas = run.group.areas.map((area) => area.code);
  const allAppraised = () => areas.every((code) => state.appraised.round1.includes(code));
  const outcome = await waitForDoneOrDeadline(() => run.deadline('appraisal_round_1_due'), allAppraised);
  if (outcome === 'deadline') {
    await run.moveTo('appraisal_round_1', 'overdue', 'appraisal_round_1_overdue');
    await condition(allAppraised);
  }
  // Let an update that just appraised the last area finish its own projection first.
  await condition(allHandlersFinished);
  const openRequests = state.requests.filter((request) => request.answer === null);
  if (openRequests.length > 0) {
    await run.moveTo('explanations', 'pending', 'stage_changed');
  } else {
    await finishAppraisal(run);
  }
}

/** The areas with explanations (or returned by the council) appraised again; then the unit is appraised. */
export async function appraisalRound2Stage(run: UnitRun): Promise<void> {
  const { state } = run;
  const allFinal = () => state.round2Areas.every((code) => state.appraised.round2.includes(code));
  // A council return reopens appraisal after the calendar deadline: it has no deadline of its own.
  const outcome = state.pass === 1 ? await waitForDoneOrDeadline(() => run.deadline('appraisal_round_2_due'), allFinal) : 'done';
  if (outcome === 'deadline') await run.moveTo('appraisal_round_2', 'overdue', 'appraisal_round_2_overdue');
  // Runs that do not take council-return-waits-for-round-2 closed a council-returned unit without
  // waiting for its round-2 appraisal, and keep that path on replay.
  if (state.pass === 1 || run.takes('council-return-waits-for-round-2')) await condition(allFinal);
  await condition(allHandlersFinished);
  await finishAppraisal(run);
}

async function finishAppraisal(run: UnitRun): Promise<void> {
  await run.moveTo('appraised', 'done', 'appraisal_finished');
  await run.reportAppraised();
}

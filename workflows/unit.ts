import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { actorLabel } from '../domain/actor-label';
import type { Actor } from '../domain/actors';
import { areaOfSubcriterion, checkAreaAppraisal, checkSelfAssessment, type ScoredEntry } from '../domain/assessment-checks';
import type { CampaignUnit } from '../domain/campaign';
import type { ReadModelEffect } from '../domain/effects';
import { formatDateTimeVi, parseDeadline, toVietnamIso } from '../domain/deadlines';
import type { FrameworkGroup } from '../domain/framework';
import type { Centi } from '../domain/scoring/points';
import { ownValue, UNIT_STAGE_LABEL_VI, type UnitFlag, type UnitStage, type UnitStatus } from '../domain/units';
import {
  answerExplanationUpdate,
  appraiseAreaUpdate,
  reopenAppraisalSignal,
  submitSelfAssessmentUpdate,
  unitAppraisedSignal,
  unitDeadlinesSignal,
  unitProgressQuery,
  unitPublishedSignal,
  type ExplanationRequestState,
  type UnitProgress,
  type UnitTimerKey,
  type Step,
} from './messages';
import { waitForDoneOrDeadline } from './deadline-wait';
import { createProjector, type ChangeDraft } from './projector';
import { refuseHostileText, reject } from './reject';
import { emptyReminderTrackState, runReminderTrack, type OwedStep, type ReminderTrack, type ReminderTrackState } from './reminders';
import type { ReminderPolicy } from '../domain/reminders';
import type { AreaAppraisal, ExplanationAnswer, SelfAssessmentSubmission } from '../domain/steps';
import { CampaignIdKey, CampaignYearKey, StageKey, UnitCodeKey, UnitGroupKey, UnitStatusKey } from './search-attributes';
import { STEP_WORKFLOW_TASK_TIMEOUT } from './task-timeout';

export interface UnitWorkflowInput {
  campaignId: string;
  year: number;
  unit: CampaignUnit;
  group: FrameworkGroup;
  /** Area code → contributor unit codes that appraise it. */
  areaOwners: Record<string, string[]>;
  /** Campaign-wide deadlines as ISO instants. */
  deadlines: Record<UnitTimerKey, string>;
  /**
   * Started by the campaign's startUnits activity (fan-out-v2, issue 8): the
   * campaign already projected this unit's `unit_opened` change (seq 1, a batch of
   * units in one transaction) and the start set its search attributes. Absent in
   * runs started before: the unit sets them and projects its own opening.
   */
  openedByCampaign?: boolean;
  /**
   * The reminder policy in force when the campaign's startUnits activity started
   * this unit (issue 8, P1): the first reminder plan uses it, so the unit's first
   * workflow task reads nothing. Absent in runs started before (they read it, as
   * every later re-plan does); dropped at continue-as-new, so a continued run
   * reads the policy in force then.
   */
  reminderPolicy?: ReminderPolicy;
  /** Carried across continue-as-new. */
  resume?: UnitState;
}

interface UnitState {
  stage: UnitStage;
  status: UnitStatus;
  flags: UnitFlag[];
  campaignDeadlines: Record<UnitTimerKey, number>;
  extensions: Partial<Record<UnitTimerKey, number>>;
  seenChangeIds: string[];
  submittedAt: string | null;
  self: Record<string, Centi>;
  round1: Record<string, Centi>;
  round2: Record<string, Centi>;
  appraised: { round1: string[]; round2: string[] };
  round2Areas: string[];
  requests: ExplanationRequestState[];
  pass: number;
  publishedDecision: string | null;
  /** A council return not yet acted on (kept in state so continue-as-new cannot lose it). */
  reopening: { pass: number; areas: string[]; reason: string } | null;
  seq: number;
  /** Reminder bookkeeping (issue 5); absent in runs started before reminders-v1. */
  reminders?: ReminderTrackState;
}

function initialState(input: UnitWorkflowInput): UnitState {
  const campaignDeadlines = Object.fromEntries(
    Object.entries(input.deadlines).map(([key, text]) => [key, parseDeadline(text) ?? 0]),
  ) as Record<UnitTimerKey, number>;
  return {
    stage: 'self_assessment',
    status: 'pending',
    flags: [],
    campaignDeadlines,
    extensions: {},
    seenChangeIds: [],
    submittedAt: null,
    self: {},
    round1: {},
    round2: {},
    appraised: { round1: [], round2: [] },
    round2Areas: [],
    requests: [],
    pass: 1,
    publishedDecision: null,
    reopening: null,
    seq: input.openedByCampaign ? 1 : 0,
  };
}

/** The changes made to the unit workflow while runs of it were open, each guarded by patched() in unitWorkflow. */
type UnitChange = 'reminders-v1' | 'reminders-v2' | 'submission-one-projection' | 'council-return-waits-for-round-2';
/** Whether this run takes a change: patched() in unitWorkflow, always in unitWorkflowV2. */
type TakesChange = (change: UnitChange) => boolean;

/**
 * One assessed unit through self-assessment, appraisal round 1, explanations,
 * appraisal round 2, council returns and publication. Workflow ID:
 * par-2019-hn/unit-STP. The unit keeps its own timers, so an extension for one
 * unit re-arms only that unit's deadline.
 *
 * The type that units were started as before issue 8's round 7; its runs (and
 * their continuations) take each change through patched(), as they always did.
 */
export async function unitWorkflow(input: UnitWorkflowInput): Promise<void> {
  return runUnit(input, patched);
}

/**
 * The same unit workflow with every change taken, and no patch marker: the
 * type the campaign starts units as (activities/fan-out.ts). Each patched() of
 * a new run records a marker and upserts the TemporalChangeVersion search
 * attribute, four history events and two visibility writes when a unit starts
 * and two events and one write per submission, 4 ms of the Temporal server's
 * CPU each on the dev server (issue 8, P1 and P2). Versioned by type, not by
 * patch: a later change to this type goes through patched() again.
 */
export async function unitWorkflowV2(input: UnitWorkflowInput): Promise<void> {
  return runUnit(input, () => true);
}

async function runUnit(input: UnitWorkflowInput, takes: TakesChange): Promise<void> {
  const { campaignId, unit, group } = input;
  const workflowId = workflowInfo().workflowId;
  const state = input.resume ?? initialState(input);
  const projector = createProjector(workflowId, state.seq);
  // Reminders (issue 5) only for runs started with this code: histories without the marker replay unchanged.
  const remindersOn = takes('reminders-v1');
  // Issue 8, the reminder storm: a reminder is delivered, the policy read and a deadline move projected inside the
  // unit's own workflow task (local activities). Runs started before keep their child workflows and regular activities.
  const remindersV2 = takes('reminders-v2');

  const deadline = (key: UnitTimerKey) => Math.max(state.campaignDeadlines[key], state.extensions[key] ?? 0);
  const iso = (ms: number) => toVietnamIso(ms);

  const progress = (): UnitProgress => ({
    campaignId,
    unitCode: unit.code,
    groupCode: unit.group,
    stage: state.stage,
    status: state.status,
    flags: [...state.flags],
    selfAssessmentDue: iso(deadline('self_assessment_due')),
    explanationsDue: iso(deadline('explanations_due')),
    submittedAt: state.submittedAt,
    appraisedAreas: { round1: [...state.appraised.round1], round2: [...state.appraised.round2] },
    round2Areas: [...state.round2Areas],
    explanationRequests: state.requests.map((request) => ({ ...request })),
    pass: state.pass,
  });

  const unitStateEffect = (): ReadModelEffect => ({
    kind: 'unit_state',
    unitCode: unit.code,
    stage: state.stage,
    status: state.status,
    flags: [...state.flags],
    selfAssessmentDue: iso(deadline('self_assessment_due')),
    explanationsDue: iso(deadline('explanations_due')),
  });

  /** Moves the unit and mirrors it for operators (search attributes); returns the change for the read model. */
  function enter(stage: UnitStage, status: UnitStatus, action: string, actor = 'system', reason?: string): ChangeDraft {
    const before = { stage: state.stage, status: state.status };
    state.stage = stage;
    state.status = status;
    upsertSearchAttributes([
      { key: StageKey, value: stage },
      { key: UnitStatusKey, value: status },
    ]);
    return { campaignId, unitCode: unit.code, actor, action, before, after: { stage, status }, reason, effects: [unitStateEffect()] };
  }

  /** Moves the unit and mirrors it: search attributes for operators, the read model for everyone else. */
  async function moveTo(stage: UnitStage, status: UnitStatus, action: string, actor = 'system', reason?: string) {
    await projector.emit(enter(stage, status, action, actor, reason));
  }

  function addFlag(flag: UnitFlag) {
    if (!state.flags.includes(flag)) state.flags.push(flag);
  }

  function requireOwnUnit(actor: Actor) {
    if (actor.role !== 'unit' || actor.unitCode !== unit.code) {
      reject('forbidden', `Chỉ ${unit.name_vi} được thực hiện bước này cho đơn vị mình`, `Only ${unit.code} may take this step for itself`);
    }
  }

  function requireStage(expected: UnitStage, what: string, whatEn: string) {
    if (state.stage !== expected) {
      reject('wrong_stage', `Không thể ${what}: đơn vị đang ở giai đoạn ${UNIT_STAGE_LABEL_VI[state.stage]}`, `Cannot ${whatEn}: the unit is at ${state.stage.replaceAll('_', ' ')}`);
    }
  }

  // ------------------------------------------------------------ handlers

  setHandler(unitProgressQuery, progress);

  setHandler(
    submitSelfAssessmentUpdate,
    async (step) => {
      // State first, synchronously: the main track must not see a deadline pass after acceptance.
      const now = new Date().toISOString();
      state.submittedAt = now;
      const { entries } = checkSelfAssessment(group, step.scores);
      state.self = Object.fromEntries(entries.map((entry) => [entry.code, entry.pointsCenti]));
      if (Date.now() > state.campaignDeadlines.self_assessment_due) addFlag('submitted_late');
      const submitted: ChangeDraft = {
        campaignId,
        unitCode: unit.code,
        actor: actorLabel(step.actor),
        action: 'self_assessment_submitted',
        after: { approvedBy: step.approvedBy, scored: entries.length },
        effects: [scoresEffect(unit.code, 'self', entries, actorLabel(step.actor), now)],
      };
      // The scores and the stage move in one activity and one transaction (issue 8, the
      // deadline burst); runs started before this patch replay the two activities they ran.
      if (takes('submission-one-projection')) {
        await projector.emitAll([submitted, enter('appraisal_round_1', 'submitted', 'stage_changed')]);
      } else {
        await projector.emit(submitted);
        await moveTo('appraisal_round_1', 'submitted', 'stage_changed');
      }
      return progress();
    },
    {
      validator: (step: Step<SelfAssessmentSubmission>) => {
        refuseHostileText(step);
        requireOwnUnit(step.actor);
        requireStage('self_assessment', 'nộp tự đánh giá', 'submit the self-assessment');
        const due = deadline('self_assessment_due');
        if (Date.now() > due) {
          reject(
            'past_deadline',
            `Đã hết hạn tự đánh giá (${formatDateTimeVi(due)}); biểu mẫu đã khóa, đề nghị Sở Nội vụ gia hạn`,
            `The self-assessment deadline (${iso(due)}) has passed; the form is locked until Sở Nội vụ grants an extension`,
          );
        }
        const { issues } = checkSelfAssessment(group, step.scores);
        if (issues.length) reject('invalid', 'Bản tự đánh giá chưa hợp lệ', 'The self-assessment is not valid', issues);
      },
    },
  );

  setHandler(
    appraiseAreaUpdate,
    async (step) => {
      const column = step.round === 1 ? 'round1' : 'round2';
      const previous = step.round === 1 ? state.self : { ...state.self, ...state.round1 };
      const { entries } = checkAreaAppraisal(group, step.areaCode, step.scores, previous);
      const now = new Date().toISOString();
      for (const entry of entries) state[column][entry.code] = entry.pointsCenti;
      const appraisedList = state.appraised[column];
      if (!appraisedList.includes(step.areaCode)) appraisedList.push(step.areaCode);
      const newRequests: ExplanationRequestState[] =
        step.round === 1
          ? step.explanationRequests.map((request, index) => ({
              // Unique within this unit; the read model keys requests by (campaign, unit, id).
              id: `r${state.pass}-${step.areaCode}-${projector.seq + 1}-${index}`,
              code: request.code,
              areaCode: step.areaCode,
              question: request.question,
              requestedBy: actorLabel(step.actor),
              answer: null,
            }))
          : [];
      // A repeated round-1 appraisal of an area replaces its open requests.
      if (step.round === 1) {
        state.requests = state.requests.filter((request) => request.areaCode !== step.areaCode || request.answer !== null);
        state.requests.push(...newRequests);
      }
      await projector.emit({
        campaignId,
        unitCode: unit.code,
        actor: actorLabel(step.actor),
        action: `area_appraised_round_${step.round}`,
        after: { areaCode: step.areaCode, scored: entries.length, explanationRequests: newRequests.length },
        effects: [
          scoresEffect(unit.code, column, entries, actorLabel(step.actor), now),
          ...(newRequests.length
            ? [
                {
                  kind: 'explanation_requests' as const,
                  unitCode: unit.code,
                  requests: newRequests.map((request) => ({
                    id: request.id,
                    code: request.code,
                    areaCode: request.areaCode,
                    question: request.question,
                    requestedBy: request.requestedBy,
                    dueAt: iso(deadline('explanations_due')),
                  })),
                },
              ]
            : []),
        ],
      });
      return progress();
    },
    {
      validator: (step: Step<AreaAppraisal>) => {
        refuseHostileText(step);
        const owners = ownValue(input.areaOwners, step.areaCode) ?? [];
        const isOwner = step.actor.role === 'contributor' && step.actor.unitCode !== undefined && owners.includes(step.actor.unitCode);
        if (!isOwner && step.actor.role !== 'admin') {
          reject('forbidden', `Lĩnh vực ${step.areaCode} không do đơn vị của bạn thẩm định`, `Area ${step.areaCode} is not appraised by your department`);
        }
        if (step.round === 1) {
          requireStage('appraisal_round_1', 'thẩm định vòng 1', 'appraise in round 1');
        } else {
          requireStage('appraisal_round_2', 'thẩm định vòng 2', 'appraise in round 2');
          if (!state.round2Areas.includes(step.areaCode)) {
            reject('wrong_stage', `Lĩnh vực ${step.areaCode} không cần thẩm định vòng 2`, `Area ${step.areaCode} is not open for round 2`);
          }
          if (step.explanationRequests.length) {
            reject('invalid', 'Chỉ được yêu cầu giải trình ở vòng 1', 'Explanations can be requested in round 1 only');
          }
        }
        const previous = step.round === 1 ? state.self : { ...state.self, ...state.round1 };
        const { issues } = checkAreaAppraisal(group, step.areaCode, step.scores, previous);
        step.explanationRequests.forEach((request, index) => {
          if (areaOfSubcriterion(group, request.code) !== step.areaCode) {
            issues.push({
              path: ['explanationRequests', index, 'code'],
              code: 'unknown_subcriterion',
              message_vi: `Tiêu chí thành phần ${request.code} không thuộc lĩnh vực ${step.areaCode}`,
              message_en: `Sub-criterion ${request.code} is not in area ${step.areaCode}`,
            });
          }
        });
        if (issues.length) reject('invalid', 'Kết quả thẩm định chưa hợp lệ', 'The appraisal is not valid', issues);
      },
    },
  );

  setHandler(
    answerExplanationUpdate,
    async (step) => {
      const request = state.requests.find((candidate) => candidate.id === step.requestId)!;
      const answeredAt = new Date().toISOString();
      request.answer = { note: step.note, evidence: step.evidence, answeredAt };
      await projector.emit({
        campaignId,
        unitCode: unit.code,
        actor: actorLabel(step.actor),
        action: 'explanation_answered',
        after: { requestId: step.requestId },
        effects: [{ kind: 'explanation_answer', unitCode: unit.code, requestId: step.requestId, note: step.note, evidence: step.evidence, answeredAt }],
      });
      return progress();
    },
    {
      validator: (step: Step<ExplanationAnswer>) => {
        refuseHostileText(step);
        requireOwnUnit(step.actor);
        requireStage('explanations', 'giải trình', 'answer an explanation request');
        const request = state.requests.find((candidate) => candidate.id === step.requestId);
        if (!request) reject('not_found', `Không có yêu cầu giải trình ${step.requestId}`, `No explanation request ${step.requestId}`);
        if (request.answer) reject('conflict', 'Yêu cầu này đã được giải trình', 'This request has already been answered');
        const due = deadline('explanations_due');
        if (Date.now() > due) {
          reject('past_deadline', `Đã hết hạn giải trình (${formatDateTimeVi(due)})`, `The explanation deadline (${iso(due)}) has passed`);
        }
      },
    },
  );

  setHandler(unitDeadlinesSignal, (change) => {
    // A retried fan-out may deliver the same change twice.
    if (state.seenChangeIds.includes(change.changeId)) return;
    state.seenChangeIds = [...state.seenChangeIds.slice(-49), change.changeId];
    const at = parseDeadline(change.deadline);
    if (at === null) return;
    if (change.scope === 'unit') state.extensions[change.key] = at;
    else state.campaignDeadlines[change.key] = at;
    const moved: ChangeDraft = {
      campaignId,
      unitCode: unit.code,
      actor: change.actor,
      action: change.scope === 'unit' ? 'deadline_extended' : 'deadline_moved',
      after: { key: change.key, deadline: change.deadline },
      reason: change.reason,
      effects: [unitStateEffect()],
    };
    void (remindersV2 ? projector.emitAll([moved]) : projector.emit(moved));
  });

  setHandler(reopenAppraisalSignal, (request) => {
    if (request.pass > state.pass) state.reopening = request;
  });
  setHandler(unitPublishedSignal, ({ decisionNumber }) => {
    state.publishedDecision = decisionNumber;
  });

  // ------------------------------------------------------------ main track

  if (!input.resume && !input.openedByCampaign) {
    upsertSearchAttributes([
      { key: CampaignIdKey, value: campaignId },
      { key: CampaignYearKey, value: input.year },
      { key: UnitCodeKey, value: unit.code },
      { key: UnitGroupKey, value: unit.group },
    ]);
    await moveTo('self_assessment', 'pending', 'unit_opened');
  }

  let reminderTrack: ReminderTrack | null = null;
  if (remindersOn) {
    state.reminders ??= emptyReminderTrackState();
    reminderTrack = runReminderTrack({
      campaignId,
      unitCode: unit.code,
      unitWorkflowId: workflowId,
      owed: owedStep,
      // From appraisal round 2 on the unit never owes a step again (a council return reopens appraisers' work only).
      finished: () => state.stage === 'appraisal_round_2' || state.stage === 'appraised' || state.stage === 'published',
      state: state.reminders,
      v2: remindersV2,
      firstPolicy: input.reminderPolicy,
    });
  }
  // An e-mail being sent belongs to this run: continuing as new or ending now would drop it.
  const quiet = () => allHandlersFinished() && (reminderTrack?.idle() ?? true);

  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(quiet);
      state.seq = projector.seq;
      // The task timeout named again: a run started before it was set continues with it too.
      await makeContinueAsNewFunc<typeof unitWorkflow>({ workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT })({ ...input, reminderPolicy: undefined, resume: state });
    }
    switch (state.stage) {
      case 'self_assessment':
        await selfAssessmentStage();
        break;
      case 'appraisal_round_1':
        await appraisalRound1Stage();
        break;
      case 'explanations':
        await explanationsStage();
        break;
      case 'appraisal_round_2':
        await appraisalRound2Stage();
        break;
      case 'appraised':
        await appraisedStage();
        break;
      case 'published':
        await condition(quiet);
        return;
    }
  }

  /** What the unit itself still owes (reminders are for that only): its self-assessment, or its explanation answers. */
  function owedStep(): OwedStep | null {
    if (state.stage === 'self_assessment' && state.submittedAt === null) {
      return {
        stage: 'self_assessment',
        deadlineMs: deadline('self_assessment_due'),
        missing: ['Bản tự đánh giá, chấm điểm (đã được thủ trưởng đơn vị phê duyệt) chưa được nộp'],
      };
    }
    if (state.stage === 'explanations') {
      const open = state.requests.filter((request) => request.answer === null);
      if (open.length === 0) return null;
      return {
        stage: 'explanations',
        deadlineMs: deadline('explanations_due'),
        missing: open.map((request) => `Giải trình tiêu chí ${request.code}: ${request.question}`),
      };
    }
    return null;
  }

  async function selfAssessmentStage() {
    const submitted = () => state.submittedAt !== null;
    for (;;) {
      const outcome = await waitForDoneOrDeadline(() => deadline('self_assessment_due'), submitted);
      if (outcome === 'done') break;
      // Past the deadline and not submitted: overdue until an extension or the appraisal cut-off.
      if (state.status !== 'overdue') await moveTo('self_assessment', 'overdue', 'self_assessment_overdue');
      const cutoff = () => Math.max(deadline('appraisal_round_1_due'), deadline('self_assessment_due'));
      const reachedCutoff = await waitForDoneOrDeadline(cutoff, () => submitted() || deadline('self_assessment_due') > Date.now());
      if (submitted()) break;
      if (reachedCutoff === 'done') {
        await moveTo('self_assessment', 'pending', 'self_assessment_reopened');
        continue;
      }
      // Campaign setting missing_submission = zero_and_flag: un-scored items count 0.
      addFlag('missing_submission');
      await moveTo('appraised', 'done', 'self_assessment_missing');
      await reportAppraised();
      return;
    }
    // The submit handler moves the unit on once its scores are in the read model.
    await condition(() => state.stage !== 'self_assessment');
  }

  async function appraisalRound1Stage() {
    const areas = group.areas.map((area) => area.code);
    const allAppraised = () => areas.every((code) => state.appraised.round1.includes(code));
    const outcome = await waitForDoneOrDeadline(() => deadline('appraisal_round_1_due'), allAppraised);
    if (outcome === 'deadline') {
      await moveTo('appraisal_round_1', 'overdue', 'appraisal_round_1_overdue');
      await condition(allAppraised);
    }
    // Let an update that just appraised the last area finish its own projection first.
    await condition(allHandlersFinished);
    const openRequests = state.requests.filter((request) => request.answer === null);
    if (openRequests.length > 0) {
      await moveTo('explanations', 'pending', 'stage_changed');
    } else {
      await finishAppraisal();
    }
  }

  async function explanationsStage() {
    const allAnswered = () => state.requests.every((request) => request.answer !== null);
    const outcome = await waitForDoneOrDeadline(() => deadline('explanations_due'), allAnswered);
    await condition(allHandlersFinished);
    if (outcome === 'deadline' && !allAnswered()) addFlag('explanation_unanswered');
    state.round2Areas = [...new Set(state.requests.map((request) => request.areaCode))];
    state.appraised.round2 = [];
    await moveTo('appraisal_round_2', 'submitted', 'stage_changed');
  }

  async function appraisalRound2Stage() {
    const allFinal = () => state.round2Areas.every((code) => state.appraised.round2.includes(code));
    // A council return reopens appraisal after the calendar deadline: it has no deadline of its own.
    const outcome = state.pass === 1 ? await waitForDoneOrDeadline(() => deadline('appraisal_round_2_due'), allFinal) : 'done';
    if (outcome === 'deadline') await moveTo('appraisal_round_2', 'overdue', 'appraisal_round_2_overdue');
    // The first release closed a council-returned unit without waiting for its
    // round-2 appraisal; workflows started then keep that path on replay.
    if (state.pass === 1 || takes('council-return-waits-for-round-2')) await condition(allFinal);
    await condition(allHandlersFinished);
    await finishAppraisal();
  }

  async function finishAppraisal() {
    await moveTo('appraised', 'done', 'appraisal_finished');
    await reportAppraised();
  }

  async function reportAppraised() {
    await getExternalWorkflowHandle(campaignId).signal(unitAppraisedSignal, { unitCode: unit.code, pass: state.pass });
  }

  async function appraisedStage() {
    await condition(() => state.reopening !== null || state.publishedDecision !== null);
    if (state.publishedDecision !== null) {
      await moveTo('published', 'done', 'results_published');
      return;
    }
    const request = state.reopening!;
    state.reopening = null;
    state.pass = request.pass;
    state.round2Areas = request.areas;
    state.appraised.round2 = [];
    addFlag('returned_by_council');
    await moveTo('appraisal_round_2', 'pending', 'returned_by_council', 'council', request.reason);
  }
}

function scoresEffect(unitCode: string, column: 'self' | 'round1' | 'round2', entries: ScoredEntry[], setBy: string, setAt: string) {
  return { kind: 'scores' as const, unitCode, column, entries, setBy, setAt };
}

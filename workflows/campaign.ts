import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import { actorLabel } from '../domain/actor-label';
import type { Actor } from '../domain/actors';
import type { CampaignDefinition, Timeline } from '../domain/campaign';
import { timelineOrderIssues } from '../domain/timeline-order';
import { formatDateTimeVi, parseDeadline, toVietnamIso } from '../domain/deadlines';
import type { ReadModelEffect } from '../domain/effects';
import { toCenti } from '../domain/scoring/points';
import { STAGE_LABEL_VI, type CampaignStage } from '../domain/stages';
import { areaOwners, campaignIdOf, surveyWorkflowId, UNIT_DEADLINE_KEYS, unitWorkflowId } from '../domain/units';
import { waitForDoneOrDeadline } from './deadline-wait';
import {
  awaitRecordedUpdate,
  councilDecisionUpdate,
  moveDeadlineUpdate,
  progressQuery,
  publishGuidanceUpdate,
  publishResultsUpdate,
  recordKickoffUpdate,
  submitGuidanceUpdate,
  surveyAcceptedSignal,
  unitAppraisedSignal,
  UNIT_TIMER_KEYS,
  type CampaignProgress,
  type CouncilRound,
  type GuidanceState,
  type UnitDeadlineChange,
  type UnitTimerKey,
  type Step,
} from './messages';
import { copyOf } from './copy';
import { createProjector } from './projector';
import { refuseHostileText, reject } from './reject';
import type { CouncilDecision, DeadlineChange, GuidancePublication, GuidanceSubmission, Kickoff, Publication } from '../domain/steps';
import { CampaignIdKey, CampaignYearKey, StageKey } from './search-attributes';
import { surveyWorkflow } from './survey';
import { STEP_WORKFLOW_TASK_TIMEOUT } from './task-timeout';
import { unitOpenedChange } from '../domain/unit-opening';
import { unitWorkflow } from './unit';

/**
 * Every attempt beats each second while it runs (activities/liveness.ts), so
 * one lost with its worker (SIGKILL, OOM) is given up on and retried 5 s after
 * its last beat, not when a minute without one or the start-to-close ends: the
 * campaign's step waiting on it (a start, a deadline move, the publication)
 * waits seconds. A slow live attempt keeps beating and is not cut short.
 * Options are not what a replay compares (the activity's type and ID are), so
 * running histories replay unchanged (docs/decisions.md).
 */
const HEARTBEAT_TIMEOUT = '5 seconds';

const { recordCampaign, aggregateResults, signalUnits, projectAll, startUnits: startUnitWorkflows } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * fan-out-v3: one activity opens every unit, chunk by chunk, and heartbeats
 * where it is; a retry resumes there. Its time grows with the units, so it is
 * bounded by the heartbeat, not by a short start-to-close.
 */
const { openUnits } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Unit workflows are started this many at a time, well under the 2,000 pending-children limit. */
const UNIT_START_BATCH = 100;
/** From fan-out-v2 on, units are opened and started by activities this many at a time. */
const UNIT_START_BATCH_V2 = 500;

export interface CampaignWorkflowInput {
  definition: CampaignDefinition;
  /** Who started the campaign, for the event log. */
  startedBy: string;
  /** Carried across continue-as-new. */
  resume?: CampaignState;
}

interface CampaignState {
  stage: CampaignStage;
  recorded: boolean;
  timeline: Timeline;
  guidance: GuidanceState;
  unitsStarted: number;
  /** Unit code → the highest aggregation pass it has reported appraised. */
  appraisedPass: Record<string, number>;
  /** Unit code → the pass it must reach before the next aggregation (1 unless returned by the council). */
  requiredPass: Record<string, number>;
  currentPass: number;
  surveyAccepted: boolean;
  aggregationPass: number;
  council: CouncilRound[];
  publication: CampaignProgress['publication'];
  deadlineChanges: number;
  seq: number;
}

/** The calendar of the main track: at each deadline the campaign shows the next stage. */
/** patched(): a round completed in the workflow task in which its deadline passed moves on by the calendar first. */
const CALENDAR_DEADLINE_WINS_TIES = 'calendar-deadline-wins-ties';

const CALENDAR: Partial<Record<CampaignStage, { key: keyof Timeline; next: CampaignStage }>> = {
  self_assessment: { key: 'self_assessment_due', next: 'appraisal_round_1' },
  appraisal_round_1: { key: 'appraisal_round_1_due', next: 'explanations' },
  explanations: { key: 'explanations_due', next: 'appraisal_round_2' },
};

/**
 * A yearly campaign from guidance to publication (Plan 245/KH-UBND). Workflow
 * ID: par-<year>-<slug>. It starts one unit workflow per assessed unit and the
 * survey track, follows the calendar, aggregates when every unit is appraised
 * and the survey accepted, and takes the council's decision and the publication.
 */
export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { definition } = input;
  const campaignId = campaignIdOf(definition);
  const unitCodes = definition.units.map((unit) => unit.code);
  const state: CampaignState = input.resume ?? {
    stage: 'guidance',
    recorded: false,
    timeline: { ...definition.timeline },
    guidance: { contributions: [], missingAtPublication: null, publishedAt: null, publishedDocument: null, kickoff: null },
    unitsStarted: 0,
    appraisedPass: {},
    requiredPass: {},
    currentPass: 1,
    surveyAccepted: false,
    aggregationPass: 0,
    council: [],
    publication: null,
    deadlineChanges: 0,
    seq: 0,
  };
  const projector = createProjector(campaignId, state.seq);

  // Campaign-wide deadline moves reach the unit workflows in the background (patch deadline-fan-out-v2,
  // issue 8: signalling 5,000 units took minutes, and Sở Nội vụ's request waited for all of it), one move
  // after another, so a unit always ends with the latest. The campaign neither continues as new nor ends
  // while one is under way.
  let unitFanOuts: Promise<void> = Promise.resolve();
  let unitFanOutsPending = 0;
  /** True while units are being opened: a move must wait for it, or they would keep the old deadline. */
  let openingBatch = false;
  const quiet = () => allHandlersFinished() && unitFanOutsPending === 0;
  function fanOutInOrder(send: () => Promise<unknown>) {
    unitFanOutsPending += 1;
    unitFanOuts = unitFanOuts.then(async () => {
      try {
        await send();
      } catch (error) {
        log.error('deadline fan-out to the units failed', { campaignId, error: String(error) });
      } finally {
        unitFanOutsPending -= 1;
      }
    });
  }
  const deadlineOf = (key: keyof Timeline) => parseDeadline(state.timeline[key]) ?? 0;

  const progress = (): CampaignProgress => ({
    campaignId,
    year: definition.year,
    stage: state.stage,
    stageLabelVi: STAGE_LABEL_VI[state.stage],
    unitCount: unitCodes.length,
    recorded: state.recorded,
    timeline: { ...state.timeline },
    guidance: copyOf(state.guidance),
    unitsStarted: state.unitsStarted,
    unitsAppraised: unitCodes.filter((code) => (state.appraisedPass[code] ?? 0) >= (state.requiredPass[code] ?? 1)).length,
    surveyAccepted: state.surveyAccepted,
    aggregationPass: state.aggregationPass,
    council: copyOf(state.council),
    publication: state.publication ? { ...state.publication } : null,
  });

  async function setStage(stage: CampaignStage, actor: string, action = 'stage_changed', extra: ReadModelEffect[] = [], reason?: string) {
    const before = state.stage;
    state.stage = stage;
    upsertSearchAttributes([{ key: StageKey, value: stage }]);
    await projector.emit({
      campaignId,
      actor,
      action,
      before: { stage: before },
      after: { stage },
      reason,
      effects: [{ kind: 'campaign_stage', stage }, ...extra],
    });
  }

  function requireRole(actor: Actor, roles: Actor['role'][], vi: string, en: string) {
    if (!roles.includes(actor.role)) reject('forbidden', vi, en);
  }

  function requireStage(stages: CampaignStage[], vi: string, en: string) {
    if (!stages.includes(state.stage)) {
      reject('wrong_stage', `${vi} (đợt đánh giá đang ở giai đoạn: ${STAGE_LABEL_VI[state.stage]})`, `${en} (the campaign is in stage ${state.stage})`);
    }
  }

  const allAppraised = () => unitCodes.every((code) => (state.appraisedPass[code] ?? 0) >= (state.requiredPass[code] ?? 1));

  // ------------------------------------------------------------ handlers

  setHandler(progressQuery, progress);
  setHandler(awaitRecordedUpdate, async () => {
    await condition(() => state.recorded);
    return progress();
  });

  setHandler(unitAppraisedSignal, ({ unitCode, pass }) => {
    state.appraisedPass[unitCode] = Math.max(state.appraisedPass[unitCode] ?? 0, pass);
  });
  setHandler(surveyAcceptedSignal, () => {
    state.surveyAccepted = true;
  });

  setHandler(
    submitGuidanceUpdate,
    async (step) => {
      const submittedAt = new Date().toISOString();
      state.guidance.contributions = [
        ...state.guidance.contributions.filter((contribution) => contribution.contributor !== step.contributor),
        { contributor: step.contributor, areas: step.areas, document: step.document, submittedAt },
      ];
      await projector.emit({
        campaignId,
        actor: actorLabel(step.actor),
        action: 'guidance_submitted',
        after: { contributor: step.contributor, areas: step.areas },
        effects: [{ kind: 'guidance_contribution', contributor: step.contributor, areas: step.areas, document: step.document, summary: step.summary }],
      });
      return progress();
    },
    {
      validator: (step: Step<GuidanceSubmission>) => {
        refuseHostileText(step);
        const speaksFor = step.actor.role === 'contributor' && step.actor.unitCode === step.contributor;
        if (!speaksFor && step.actor.role !== 'admin') {
          reject('forbidden', `Bạn không gửi hướng dẫn thay cho ${step.contributor}`, `You cannot send guidance for ${step.contributor}`);
        }
        requireStage(['guidance'], 'Đã hết giai đoạn hướng dẫn', 'Guidance is closed');
        if (state.guidance.publishedAt) reject('wrong_stage', 'Hướng dẫn đã được công bố', 'The guidance has already been published');
        const contributor = definition.contributors.find((candidate) => candidate.unit === step.contributor);
        if (!contributor) {
          reject('invalid', `${step.contributor} không phải đơn vị hướng dẫn`, `${step.contributor} is not a guidance contributor`, [
            { path: ['contributor'], code: 'unknown_contributor', message_vi: `${step.contributor} không phải đơn vị hướng dẫn`, message_en: `${step.contributor} is not a guidance contributor` },
          ]);
        }
        const foreign = step.areas.filter((area) => !contributor.areas_owned.includes(area));
        if (foreign.length) {
          reject('forbidden', `${step.contributor} không phụ trách lĩnh vực ${foreign.join(', ')}`, `${step.contributor} does not own area(s) ${foreign.join(', ')}`);
        }
        if (Date.now() > deadlineOf('guidance_due')) {
          reject('past_deadline', `Đã hết hạn gửi hướng dẫn (${formatDateTimeVi(deadlineOf('guidance_due'))})`, `The guidance deadline (${state.timeline.guidance_due}) has passed`);
        }
      },
    },
  );

  setHandler(
    publishGuidanceUpdate,
    async (step) => {
      const sent = new Set(state.guidance.contributions.map((contribution) => contribution.contributor));
      state.guidance.missingAtPublication = definition.contributors.map((c) => c.unit).filter((unit) => !sent.has(unit));
      state.guidance.publishedAt = new Date().toISOString();
      state.guidance.publishedDocument = step.document;
      await projector.emit({
        campaignId,
        actor: actorLabel(step.actor),
        action: 'guidance_published',
        after: { missing: state.guidance.missingAtPublication, document: step.document },
        reason: step.note || undefined,
        effects: [],
      });
      return progress();
    },
    {
      validator: (step: Step<GuidancePublication>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ công bố hướng dẫn', 'Only Sở Nội vụ publishes the guidance');
        requireStage(['guidance'], 'Không thể công bố hướng dẫn', 'Cannot publish the guidance');
        if (state.guidance.publishedAt) reject('conflict', 'Hướng dẫn đã được công bố', 'The guidance has already been published');
      },
    },
  );

  setHandler(
    recordKickoffUpdate,
    async (step) => {
      state.guidance.kickoff = { date: step.date, attachment: step.attachment, note: step.note, recordedAt: new Date().toISOString() };
      await projector.emit({ campaignId, actor: actorLabel(step.actor), action: 'kickoff_recorded', after: { date: step.date, attachment: step.attachment ?? null }, effects: [] });
      return progress();
    },
    {
      validator: (step: Step<Kickoff>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ ghi nhận hội nghị triển khai', 'Only Sở Nội vụ records the kick-off conference');
        if (state.stage === 'published') reject('wrong_stage', 'Đợt đánh giá đã kết thúc', 'The campaign has ended');
      },
    },
  );

  setHandler(
    moveDeadlineUpdate,
    async (step) => {
      state.deadlineChanges += 1;
      const changeId = `${campaignId}/deadline/${state.deadlineChanges}`;
      const deadline = toVietnamIso(parseDeadline(step.deadline)!);
      const actor = actorLabel(step.actor);
      if (step.unitCode) {
        const change: UnitDeadlineChange = { changeId, scope: 'unit', key: step.key as UnitTimerKey, deadline, actor, reason: step.reason };
        await getExternalWorkflowHandle(unitWorkflowId(campaignId, step.unitCode)).signal('unitDeadlines', change);
        await projector.emit({ campaignId, unitCode: step.unitCode, actor, action: 'deadline_extension_granted', after: { key: step.key, deadline }, reason: step.reason, effects: [] });
        return progress();
      }
      const before = state.timeline[step.key];
      state.timeline = { ...state.timeline, [step.key]: step.deadline };
      await projector.emit({
        campaignId,
        actor,
        action: 'deadline_moved',
        before: { key: step.key, deadline: before },
        after: { key: step.key, deadline: step.deadline },
        reason: step.reason,
        effects: [{ kind: 'campaign_timeline', timeline: { ...state.timeline } }],
      });
      if (!(UNIT_TIMER_KEYS as readonly string[]).includes(step.key)) return progress();
      const change: UnitDeadlineChange = { changeId, scope: 'campaign', key: step.key as UnitTimerKey, deadline, actor, reason: step.reason };
      if (patched('deadline-fan-out-v2')) {
        fanOutInOrder(async () => {
          await condition(() => !openingBatch);
          if (state.unitsStarted === 0) return;
          await signalUnits({ campaignId, unitCodes: unitCodes.slice(0, state.unitsStarted), signal: 'unitDeadlines', payload: change });
        });
      } else if (state.unitsStarted > 0) {
        await signalUnits({ campaignId, unitCodes: unitCodes.slice(0, state.unitsStarted), signal: 'unitDeadlines', payload: change });
      }
      return progress();
    },
    {
      validator: (step: Step<DeadlineChange>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ thay đổi thời hạn', 'Only Sở Nội vụ changes deadlines');
        if (state.stage === 'published') reject('wrong_stage', 'Đợt đánh giá đã kết thúc', 'The campaign has ended');
        const at = parseDeadline(step.deadline);
        if (at === null || at <= Date.now()) {
          reject('invalid', 'Thời hạn mới phải ở tương lai', 'The new deadline must be in the future', [
            { path: ['deadline'], code: 'deadline_in_past', message_vi: 'Thời hạn mới phải ở tương lai', message_en: 'The new deadline must be in the future' },
          ]);
        }
        if (step.unitCode === undefined) {
          const moved = timelineOrderIssues({ ...state.timeline, [step.key]: step.deadline });
          if (moved.length) reject('invalid', 'Thời hạn mới làm đảo thứ tự các bước', 'The new deadline puts the stages out of order', moved);
        } else {
          if (!unitCodes.includes(step.unitCode)) reject('not_found', `Không có đơn vị ${step.unitCode}`, `No unit ${step.unitCode}`);
          if (!(UNIT_DEADLINE_KEYS as readonly string[]).includes(step.key)) {
            reject('invalid', `Chỉ gia hạn riêng cho một đơn vị với: ${UNIT_DEADLINE_KEYS.join(', ')}`, `Per-unit extensions apply to: ${UNIT_DEADLINE_KEYS.join(', ')}`, [
              { path: ['key'], code: 'not_extendable', message_vi: 'Hạn này không gia hạn riêng được', message_en: 'This deadline cannot be extended for one unit' },
            ]);
          }
          if (unitCodes.indexOf(step.unitCode) >= state.unitsStarted) {
            reject('wrong_stage', 'Đơn vị chưa bắt đầu tự đánh giá', 'The unit has not started its self-assessment yet');
          }
        }
      },
    },
  );

  setHandler(
    councilDecisionUpdate,
    async (step) => {
      const round: CouncilRound = { round: state.council.length + 1, decision: step.decision, decidedAt: new Date().toISOString(), returns: step.returns };
      state.council.push(round);
      const actor = actorLabel(step.actor);
      const after = { round: round.round, decision: step.decision, votesFor: step.votesFor, membersPresent: step.membersPresent, returns: step.returns };
      if (step.decision === 'approve') {
        await setStage('publication', actor, 'council_approved', [], step.note || undefined);
        return progress();
      }
      state.currentPass += 1;
      for (const returned of step.returns) state.requiredPass[returned.unitCode] = state.currentPass;
      await setStage('appraisal_round_2', actor, 'council_returned', [], step.note || undefined);
      await projector.emit({ campaignId, actor, action: 'council_decision', after, effects: [] });
      for (const returned of step.returns) {
        await getExternalWorkflowHandle(unitWorkflowId(campaignId, returned.unitCode)).signal('reopenAppraisal', {
          pass: state.currentPass,
          areas: returned.areas,
          reason: returned.reason,
        });
      }
      return progress();
    },
    {
      validator: (step: Step<CouncilDecision>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['council'], 'Chỉ Hội đồng thẩm định quyết định', 'Only the appraisal council decides');
        requireStage(['council'], 'Chưa đến bước Hội đồng thẩm định', 'The results are not before the council');
        const members = definition.settings.council_members;
        if (step.membersPresent > members || step.votesFor > step.membersPresent) {
          reject('invalid', 'Số thành viên dự họp hoặc số phiếu không hợp lệ', 'Members present or votes are inconsistent');
        }
        if (step.votesFor * 2 <= members) {
          reject('invalid', `Quyết định cần quá nửa trong ${members} thành viên Hội đồng tán thành`, `A decision needs more than half of the ${members} council members`, [
            { path: ['votesFor'], code: 'no_majority', message_vi: `Cần ít nhất ${Math.floor(members / 2) + 1} phiếu tán thành`, message_en: `Needs at least ${Math.floor(members / 2) + 1} votes` },
          ]);
        }
        if (step.decision === 'approve' && step.returns.length) reject('invalid', 'Thông qua thì không trả lại đơn vị nào', 'An approval returns no unit');
        if (step.decision === 'return' && !step.returns.length) reject('invalid', 'Trả lại phải nêu đơn vị và lĩnh vực', 'A return must name units and areas');
        step.returns.forEach((returned, index) => {
          const unit = definition.units.find((candidate) => candidate.code === returned.unitCode);
          if (!unit) {
            reject('invalid', `Không có đơn vị ${returned.unitCode}`, `No unit ${returned.unitCode}`, [
              { path: ['returns', index, 'unitCode'], code: 'unknown_unit', message_vi: `Không có đơn vị ${returned.unitCode}`, message_en: `No unit ${returned.unitCode}` },
            ]);
          }
          const areas = definition.framework.groups[unit.group]!.areas.map((area) => area.code);
          const unknown = returned.areas.filter((area) => !areas.includes(area));
          if (unknown.length) {
            reject('invalid', `Lĩnh vực không có: ${unknown.join(', ')}`, `Unknown area(s): ${unknown.join(', ')}`, [
              { path: ['returns', index, 'areas'], code: 'unknown_area', message_vi: `Lĩnh vực không có: ${unknown.join(', ')}`, message_en: `Unknown area(s): ${unknown.join(', ')}` },
            ]);
          }
        });
      },
    },
  );

  setHandler(
    publishResultsUpdate,
    async (step) => {
      state.publication = { decisionNumber: step.decisionNumber, decisionDate: step.decisionDate, publishedAt: new Date().toISOString() };
      await setStage('published', actorLabel(step.actor), 'results_published', [
        { kind: 'publication', decisionNumber: step.decisionNumber, decisionDate: step.decisionDate },
      ]);
      await signalUnits({ campaignId, unitCodes, signal: 'unitPublished', payload: { decisionNumber: step.decisionNumber } });
      return progress();
    },
    {
      validator: (step: Step<Publication>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ công bố kết quả', 'Only Sở Nội vụ publishes the results');
        requireStage(['publication'], 'Kết quả chưa được Hội đồng thông qua', 'The council has not approved the results');
      },
    },
  );

  // ------------------------------------------------------------ main track

  if (!input.resume) {
    upsertSearchAttributes([
      { key: CampaignIdKey, value: campaignId },
      { key: CampaignYearKey, value: definition.year },
      { key: StageKey, value: state.stage },
    ]);
    const startedAt = new Date(workflowInfo().startTime).toISOString();
    await recordCampaign({ campaignId, definition, stage: state.stage, at: startedAt });
    await projector.emit({ campaignId, actor: input.startedBy, action: 'campaign_started', after: { stage: state.stage }, at: startedAt, effects: [] });
    await startChild(surveyWorkflow, {
      workflowId: surveyWorkflowId(campaignId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT,
      args: [
        {
          campaignId,
          year: definition.year,
          units: definition.units.map((unit) => ({ code: unit.code, group: unit.group })),
          maxPointsCentiByGroup: Object.fromEntries(
            Object.entries(definition.framework.groups).map(([code, group]) => [code, toCenti(group.survey.max_points)]),
          ),
        },
      ],
    });
    // Only now can every step a caller may try next find its workflow.
    state.recorded = true;
  }

  for (;;) {
    await continueAsNewIfSuggested();
    switch (state.stage) {
      case 'guidance':
        await condition(() => state.guidance.publishedAt !== null);
        await startUnits();
        await setStage('self_assessment', 'system');
        break;
      case 'self_assessment':
      case 'appraisal_round_1':
      case 'explanations':
      case 'appraisal_round_2':
        await followCalendar();
        break;
      case 'aggregation':
        await aggregateResults({ campaignId, pass: state.currentPass });
        state.aggregationPass = state.currentPass;
        await setStage('council', 'system', 'results_aggregated');
        break;
      case 'council':
      case 'publication':
        await condition(() => state.stage !== 'council' && state.stage !== 'publication');
        break;
      case 'published':
        await condition(quiet);
        return;
    }
  }

  async function followCalendar() {
    const ready = () => allAppraised() && state.surveyAccepted;
    const calendar = CALENDAR[state.stage];
    if (calendar && state.currentPass === 1) {
      // The calendar's boundary is recorded whenever the campaign's clock passed it before it saw the round complete.
      const outcome = await waitForDoneOrDeadline(() => deadlineOf(calendar.key), ready, () => patched(CALENDAR_DEADLINE_WINS_TIES));
      if (outcome === 'deadline') {
        await setStage(calendar.next, 'system');
        return;
      }
    } else {
      await condition(ready);
    }
    await setStage('aggregation', 'system');
  }

  /** The deadlines units open with now: a move between two batches of a run before fan-out-v3 reaches the next batch. */
  function openingDeadlines() {
    return Object.fromEntries(UNIT_TIMER_KEYS.map((key) => [key, toVietnamIso(deadlineOf(key))])) as Record<UnitTimerKey, string>;
  }

  async function startUnits() {
    // From fan-out-v3 on (issue 8, P1), one activity opens and starts every unit: the campaign
    // takes no workflow task between two batches. A move of a deadline waits until it is done.
    if (patched('fan-out-v3')) {
      openingBatch = true;
      await openUnits({
        common: { campaignId, year: definition.year, areaOwners: areaOwners(definition.contributors), deadlines: openingDeadlines(), openedByCampaign: true },
        openedAt: new Date().toISOString(),
      });
      state.unitsStarted = definition.units.length;
      openingBatch = false;
      return;
    }
    // From fan-out-v2 on, an activity starts each batch with the client, not as children (the
    // campaign's history then holds no unit input, and the campaign is not one execution that
    // every start must update), after one more has projected the batch's openings in one
    // transaction, so a unit starts with no activity of its own. Runs started before keep the
    // commands they made.
    const v2 = patched('fan-out-v2');
    const batchSize = v2 ? UNIT_START_BATCH_V2 : UNIT_START_BATCH;
    while (state.unitsStarted < definition.units.length) {
      openingBatch = true;
      const batch = definition.units.slice(state.unitsStarted, state.unitsStarted + batchSize);
      const owners = areaOwners(definition.contributors);
      const deadlines = openingDeadlines();
      if (v2) {
        const at = new Date().toISOString();
        await projectAll(batch.map((unit) => unitOpenedChange(campaignId, unit.code, deadlines, at)));
        await startUnitWorkflows({
          common: { campaignId, year: definition.year, areaOwners: owners, deadlines, openedByCampaign: true },
          groups: definition.framework.groups,
          units: batch,
        });
      } else {
        await Promise.all(
          batch.map((unit) =>
            startChild(unitWorkflow, {
              workflowId: unitWorkflowId(campaignId, unit.code),
              parentClosePolicy: ParentClosePolicy.ABANDON,
              workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT,
              args: [{ campaignId, year: definition.year, unit, group: definition.framework.groups[unit.group]!, areaOwners: owners, deadlines }],
            }),
          ),
        );
      }
      state.unitsStarted += batch.length;
      openingBatch = false;
      await continueAsNewIfSuggested();
    }
  }

  async function continueAsNewIfSuggested() {
    if (!workflowInfo().continueAsNewSuggested) return;
    await condition(quiet);
    state.seq = projector.seq;
    await continueAsNew<typeof campaignWorkflow>({ ...input, resume: state });
  }
}

import { getExternalWorkflowHandle, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ScoredEntry } from '../../domain/assessment-checks';
import type { CampaignUnit } from '../../domain/campaign';
import { toVietnamIso } from '../../domain/deadlines';
import type { ReadModelChange, ReadModelEffect } from '../../domain/effects';
import type { FrameworkGroup } from '../../domain/framework';
import type { UnitFlag, UnitStage, UnitStatus } from '../../domain/units';
import { unitAppraisedSignal, type UnitProgress, type UnitTimerKey } from '../../contracts/messages';
import { createProjector, type ChangeDraft } from '../projector';
import { StageKey, UnitStatusKey } from '../../contracts/search-attributes';
import { ScoredOnce } from './scored-once';
import { initialUnitState, type TakesChange, type UnitState, type UnitWorkflowInput } from './state';

/**
 * One run of a unit workflow: its input, its state, and the moves its stages
 * and handlers share. Built once per run (never at module level: the worker
 * shares modules between the workflows of a thread).
 */
export class UnitRun {
  readonly campaignId: string;
  readonly unit: CampaignUnit;
  readonly group: FrameworkGroup;
  readonly workflowId: string;
  readonly state: UnitState;
  readonly projector: ReturnType<typeof createProjector>;
  /** Reminders only for runs that take reminders-v1: histories without its marker replay unchanged. */
  readonly remindersOn: boolean;
  /**
   * reminders-v2: a reminder is delivered, the policy read and a deadline move
   * projected inside the unit's own workflow task (local activities), the fewest
   * tasks a reminder storm can cost. Runs without it keep their child workflows
   * and regular activities.
   */
  readonly inTask: boolean;
  /**
   * The changes this run returned to a caller that projects them
   * (recordSelfAssessment): the run projects them again before it continues
   * as new, so none depends on the caller alone once the run is gone.
   */
  readonly returned: ReadModelChange[] = [];
  /** Each step's scores, computed by its validator and taken by its handler (scored-once.ts). */
  readonly scored = new ScoredOnce<ScoredEntry[]>();

  constructor(
    readonly input: UnitWorkflowInput,
    readonly takes: TakesChange,
  ) {
    this.campaignId = input.campaignId;
    this.unit = input.unit;
    this.group = input.group;
    this.workflowId = workflowInfo().workflowId;
    this.state = input.resume ?? initialUnitState(input);
    this.projector = createProjector(this.workflowId, this.state.seq);
    this.remindersOn = takes('reminders-v1');
    this.inTask = takes('reminders-v2');
  }

  /** A deadline as it stands for this unit: the campaign's, or this unit's extension if later. */
  deadline(key: UnitTimerKey): number {
    return Math.max(this.state.campaignDeadlines[key], this.state.extensions[key] ?? 0);
  }

  progress(): UnitProgress {
    const { state } = this;
    return {
      campaignId: this.campaignId,
      unitCode: this.unit.code,
      groupCode: this.unit.group,
      stage: state.stage,
      status: state.status,
      flags: [...state.flags],
      selfAssessmentDue: toVietnamIso(this.deadline('self_assessment_due')),
      explanationsDue: toVietnamIso(this.deadline('explanations_due')),
      submittedAt: state.submittedAt,
      appraisedAreas: { round1: [...state.appraised.round1], round2: [...state.appraised.round2] },
      round2Areas: [...state.round2Areas],
      explanationRequests: state.requests.map((request) => ({ ...request })),
      pass: state.pass,
    };
  }

  unitStateEffect(): ReadModelEffect {
    return {
      kind: 'unit_state',
      unitCode: this.unit.code,
      stage: this.state.stage,
      status: this.state.status,
      flags: [...this.state.flags],
      selfAssessmentDue: toVietnamIso(this.deadline('self_assessment_due')),
      explanationsDue: toVietnamIso(this.deadline('explanations_due')),
    };
  }

  /** Moves the unit and mirrors it for operators (search attributes); returns the change for the read model. */
  enter(stage: UnitStage, status: UnitStatus, action: string, actor = 'system', reason?: string): ChangeDraft {
    const before = { stage: this.state.stage, status: this.state.status };
    this.state.stage = stage;
    this.state.status = status;
    upsertSearchAttributes([
      { key: StageKey, value: stage },
      { key: UnitStatusKey, value: status },
    ]);
    return { campaignId: this.campaignId, unitCode: this.unit.code, actor, action, before, after: { stage, status }, reason, effects: [this.unitStateEffect()] };
  }

  /** Moves the unit and mirrors it: search attributes for operators, the read model for everyone else. */
  async moveTo(stage: UnitStage, status: UnitStatus, action: string, actor = 'system', reason?: string): Promise<void> {
    await this.projector.emit(this.enter(stage, status, action, actor, reason));
  }

  addFlag(flag: UnitFlag): void {
    if (!this.state.flags.includes(flag)) this.state.flags.push(flag);
  }

  /** Tells the campaign this unit's appraisal is final for its current pass. */
  async reportAppraised(): Promise<void> {
    await getExternalWorkflowHandle(this.campaignId).signal(unitAppraisedSignal, { unitCode: this.unit.code, pass: this.state.pass });
  }

  /** Projects, in this run's own order, the changes it returned to callers; each key applies once, whoever came first. */
  async reprojectReturned(): Promise<void> {
    if (this.returned.length === 0) return;
    await this.projector.reproject(this.returned.splice(0));
  }

  /** The input of the run that continues this one: the state as it is, and no start-time policy. */
  continuation(): UnitWorkflowInput {
    this.state.seq = this.projector.seq;
    return { ...this.input, reminderPolicy: undefined, resume: this.state };
  }
}

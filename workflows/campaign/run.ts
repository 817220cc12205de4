import { allHandlersFinished, condition, continueAsNew, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CampaignDefinition, Timeline } from '../../domain/campaign';
import { parseDeadline } from '../../domain/deadlines';
import type { ReadModelEffect } from '../../domain/effects';
import { STAGE_LABEL_VI, type CampaignStage } from '../../domain/stages';
import { campaignIdOf } from '../../domain/units';
import { copyOf } from '../copy';
import type { CampaignProgress } from '../../contracts/messages';
import { createProjector } from '../projector';
import { StageKey } from '../../contracts/search-attributes';
import { UnitFanOut } from './fan-out';
import { initialCampaignState, type CampaignState, type CampaignWorkflowInput } from './state';

/**
 * One run of a campaign workflow: its input, its state, and the moves its
 * stages and handlers share. Built once per run (never at module level: the
 * worker shares modules between the workflows of a thread).
 */
export class CampaignRun {
  readonly definition: CampaignDefinition;
  readonly campaignId: string;
  readonly unitCodes: string[];
  readonly state: CampaignState;
  readonly projector: ReturnType<typeof createProjector>;
  readonly fanOut: UnitFanOut;
  /** True while units are being opened: a deadline move waits for it, or they would open with the old deadline. */
  openingUnits = false;

  constructor(readonly input: CampaignWorkflowInput) {
    this.definition = input.definition;
    this.campaignId = campaignIdOf(this.definition);
    this.unitCodes = this.definition.units.map((unit) => unit.code);
    this.state = input.resume ?? initialCampaignState(this.definition);
    this.projector = createProjector(this.campaignId, this.state.seq);
    this.fanOut = new UnitFanOut(this.campaignId);
  }

  deadlineOf(key: keyof Timeline): number {
    return parseDeadline(this.state.timeline[key]) ?? 0;
  }

  /** Every unit appraised for the pass it must reach (1, or the pass of the council return that reopened it). */
  allAppraised(): boolean {
    return this.unitCodes.every((code) => this.appraised(code));
  }

  private appraised(code: string): boolean {
    return (this.state.appraisedPass[code] ?? 0) >= (this.state.requiredPass[code] ?? 1);
  }

  progress(): CampaignProgress {
    const { state } = this;
    return {
      campaignId: this.campaignId,
      year: this.definition.year,
      stage: state.stage,
      stageLabelVi: STAGE_LABEL_VI[state.stage],
      unitCount: this.unitCodes.length,
      recorded: state.recorded,
      timeline: { ...state.timeline },
      guidance: copyOf(state.guidance),
      unitsStarted: state.unitsStarted,
      unitsAppraised: this.unitCodes.filter((code) => this.appraised(code)).length,
      surveyAccepted: state.surveyAccepted,
      aggregationPass: state.aggregationPass,
      council: copyOf(state.council),
      publication: state.publication ? { ...state.publication } : null,
    };
  }

  /** Moves the campaign and mirrors it: the Stage search attribute for operators, the read model for everyone else. */
  async setStage(stage: CampaignStage, actor: string, action = 'stage_changed', extra: ReadModelEffect[] = [], reason?: string): Promise<void> {
    const before = this.state.stage;
    this.state.stage = stage;
    upsertSearchAttributes([{ key: StageKey, value: stage }]);
    await this.projector.emit({
      campaignId: this.campaignId,
      actor,
      action,
      before: { stage: before },
      after: { stage },
      reason,
      effects: [{ kind: 'campaign_stage', stage }, ...extra],
    });
  }

  /** No step and no deadline move under way: what the campaign waits for before it continues as new or ends. */
  quiet(): boolean {
    return allHandlersFinished() && this.fanOut.idle();
  }

  async continueAsNewIfSuggested(): Promise<void> {
    if (!workflowInfo().continueAsNewSuggested) return;
    await condition(() => this.quiet());
    this.state.seq = this.projector.seq;
    await continueAsNew<(input: CampaignWorkflowInput) => Promise<void>>({ ...this.input, resume: this.state });
  }
}

import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import type { Actor } from '../../domain/actors';
import { copyOf } from '../copy';
import type { SurveyProgress, SurveyStatus } from '../../contracts/messages';
import { createProjector } from '../projector';
import { StageKey } from '../../contracts/search-attributes';

export interface SurveyWorkflowInput {
  campaignId: string;
  year: number;
  units: { code: string; group: string }[];
  /** Group code → the survey's maximum points, in hundredths. */
  maxPointsCentiByGroup: Record<string, number>;
}

/** One run of the survey track: its input, its progress, and the status move its steps share. */
export class SurveyRun {
  readonly campaignId: string;
  readonly projector: ReturnType<typeof createProjector>;
  readonly progress: SurveyProgress;

  constructor(readonly input: SurveyWorkflowInput) {
    this.campaignId = input.campaignId;
    this.projector = createProjector(workflowInfo().workflowId, 0);
    this.progress = {
      campaignId: input.campaignId,
      status: 'awaiting_plan',
      plan: null,
      planReviews: [],
      fieldworkOpenedAt: null,
      fieldworkClosedAt: null,
      acceptedAt: null,
      unitsCovered: 0,
    };
  }

  /** A copy for query and update answers: a caller never holds live state. */
  snapshot(): SurveyProgress {
    return copyOf(this.progress);
  }

  /** Moves the survey and mirrors it: the Stage search attribute for operators, the read model for everyone else. */
  async moveTo(status: SurveyStatus, actor: Actor, action: string, reason?: string, extra: unknown[] = []): Promise<void> {
    const before = this.progress.status;
    this.progress.status = status;
    upsertSearchAttributes([{ key: StageKey, value: `survey_${status}` }]);
    await this.projector.emit({
      campaignId: this.campaignId,
      actor: actorLabel(actor),
      action,
      before: { status: before },
      after: { status },
      reason,
      effects: [{ kind: 'survey_status', status }, ...(extra as never[])],
    });
  }
}

import type { Actor } from '../../domain/actors';
import { STAGE_LABEL_VI, type CampaignStage } from '../../domain/stages';
import { reject } from '../reject';
import type { CampaignRun } from './run';

export function requireRole(actor: Actor, roles: Actor['role'][], vi: string, en: string): void {
  if (!roles.includes(actor.role)) reject('forbidden', vi, en);
}

export function requireStage(run: CampaignRun, stages: CampaignStage[], vi: string, en: string): void {
  const { stage } = run.state;
  if (!stages.includes(stage)) {
    reject('wrong_stage', `${vi} (đợt đánh giá đang ở giai đoạn: ${STAGE_LABEL_VI[stage]})`, `${en} (the campaign is in stage ${stage})`);
  }
}

/** Refuses a step once the campaign is published. */
export function requireNotEnded(run: CampaignRun): void {
  if (run.state.stage === 'published') reject('wrong_stage', 'Đợt đánh giá đã kết thúc', 'The campaign has ended');
}

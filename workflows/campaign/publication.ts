import { actorLabel } from '../../domain/actor-label';
import type { Publication } from '../../domain/steps';
import type { CampaignProgress, Step } from '../../contracts/messages';
import { refuseHostileText } from '../reject';
import { signalUnits } from './activities';
import { requireRole, requireStage } from './guards';
import type { CampaignRun } from './run';

export function validatePublication(run: CampaignRun, step: Step<Publication>): void {
  refuseHostileText(step);
  requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ công bố kết quả', 'Only Sở Nội vụ publishes the results');
  requireStage(run, ['publication'], 'Kết quả chưa được Hội đồng thông qua', 'The council has not approved the results');
}

/** Sở Nội vụ publishes the approved results under its decision; every unit workflow then closes. */
export async function publishResults(run: CampaignRun, step: Step<Publication>): Promise<CampaignProgress> {
  run.state.publication = { decisionNumber: step.decisionNumber, decisionDate: step.decisionDate, publishedAt: new Date().toISOString() };
  await run.setStage('published', actorLabel(step.actor), 'results_published', [
    { kind: 'publication', decisionNumber: step.decisionNumber, decisionDate: step.decisionDate },
  ]);
  await signalUnits({ campaignId: run.campaignId, unitCodes: run.unitCodes, signal: 'unitPublished', payload: { decisionNumber: step.decisionNumber } });
  return run.progress();
}

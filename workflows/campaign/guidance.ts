import { actorLabel } from '../../domain/actor-label';
import { formatDateTimeVi } from '../../domain/deadlines';
import type { GuidancePublication, GuidanceSubmission, Kickoff } from '../../domain/steps';
import type { CampaignProgress, Step } from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { requireNotEnded, requireRole, requireStage } from './guards';
import type { CampaignRun } from './run';

/** A contributor (or Sở Nội vụ for it) sends guidance for areas it owns, before the guidance deadline. */
export function validateGuidanceSubmission(run: CampaignRun, step: Step<GuidanceSubmission>): void {
  const { state, definition } = run;
  refuseHostileText(step);
  const speaksFor = step.actor.role === 'contributor' && step.actor.unitCode === step.contributor;
  if (!speaksFor && step.actor.role !== 'admin') {
    reject('forbidden', `Bạn không gửi hướng dẫn thay cho ${step.contributor}`, `You cannot send guidance for ${step.contributor}`);
  }
  requireStage(run, ['guidance'], 'Đã hết giai đoạn hướng dẫn', 'Guidance is closed');
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
  if (Date.now() > run.deadlineOf('guidance_due')) {
    reject('past_deadline', `Đã hết hạn gửi hướng dẫn (${formatDateTimeVi(run.deadlineOf('guidance_due'))})`, `The guidance deadline (${state.timeline.guidance_due}) has passed`);
  }
}

export async function submitGuidance(run: CampaignRun, step: Step<GuidanceSubmission>): Promise<CampaignProgress> {
  const { guidance } = run.state;
  const submittedAt = new Date().toISOString();
  guidance.contributions = [
    ...guidance.contributions.filter((contribution) => contribution.contributor !== step.contributor),
    { contributor: step.contributor, areas: step.areas, document: step.document, submittedAt },
  ];
  await run.projector.emit({
    campaignId: run.campaignId,
    actor: actorLabel(step.actor),
    action: 'guidance_submitted',
    after: { contributor: step.contributor, areas: step.areas },
    effects: [{ kind: 'guidance_contribution', contributor: step.contributor, areas: step.areas, document: step.document, summary: step.summary }],
  });
  return run.progress();
}

export function validateGuidancePublication(run: CampaignRun, step: Step<GuidancePublication>): void {
  refuseHostileText(step);
  requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ công bố hướng dẫn', 'Only Sở Nội vụ publishes the guidance');
  requireStage(run, ['guidance'], 'Không thể công bố hướng dẫn', 'Cannot publish the guidance');
  if (run.state.guidance.publishedAt) reject('conflict', 'Hướng dẫn đã được công bố', 'The guidance has already been published');
}

/** Sở Nội vụ publishes the guidance, noting which contributors had sent none; the units open next. */
export async function publishGuidance(run: CampaignRun, step: Step<GuidancePublication>): Promise<CampaignProgress> {
  const { guidance } = run.state;
  const sent = new Set(guidance.contributions.map((contribution) => contribution.contributor));
  guidance.missingAtPublication = run.definition.contributors.map((c) => c.unit).filter((unit) => !sent.has(unit));
  guidance.publishedAt = new Date().toISOString();
  guidance.publishedDocument = step.document;
  await run.projector.emit({
    campaignId: run.campaignId,
    actor: actorLabel(step.actor),
    action: 'guidance_published',
    after: { missing: guidance.missingAtPublication, document: step.document },
    reason: step.note || undefined,
    effects: [],
  });
  return run.progress();
}

export function validateKickoff(run: CampaignRun, step: Step<Kickoff>): void {
  refuseHostileText(step);
  requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ ghi nhận hội nghị triển khai', 'Only Sở Nội vụ records the kick-off conference');
  requireNotEnded(run);
}

export async function recordKickoff(run: CampaignRun, step: Step<Kickoff>): Promise<CampaignProgress> {
  run.state.guidance.kickoff = { date: step.date, attachment: step.attachment, note: step.note, recordedAt: new Date().toISOString() };
  await run.projector.emit({ campaignId: run.campaignId, actor: actorLabel(step.actor), action: 'kickoff_recorded', after: { date: step.date, attachment: step.attachment ?? null }, effects: [] });
  return run.progress();
}

import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import type { CouncilDecision } from '../../domain/steps';
import { unitWorkflowId } from '../../domain/units';
import { reopenAppraisalSignal, type CampaignProgress, type CouncilRound, type Step } from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { requireRole, requireStage } from './guards';
import type { CampaignRun } from './run';

/** The council decides by more than half of its members: approve as a whole, or return named areas of named units. */
export function validateCouncilDecision(run: CampaignRun, step: Step<CouncilDecision>): void {
  const { definition } = run;
  refuseHostileText(step);
  requireRole(step.actor, ['council'], 'Chỉ Hội đồng thẩm định quyết định', 'Only the appraisal council decides');
  requireStage(run, ['council'], 'Chưa đến bước Hội đồng thẩm định', 'The results are not before the council');
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
}

/**
 * An approval moves the campaign to publication. A return opens a new pass:
 * the returned units must reach it before the next aggregation, and each is
 * told which areas reopen.
 */
export async function decideCouncil(run: CampaignRun, step: Step<CouncilDecision>): Promise<CampaignProgress> {
  const { state, campaignId } = run;
  const round: CouncilRound = { round: state.council.length + 1, decision: step.decision, decidedAt: new Date().toISOString(), returns: step.returns };
  state.council.push(round);
  const actor = actorLabel(step.actor);
  const after = { round: round.round, decision: step.decision, votesFor: step.votesFor, membersPresent: step.membersPresent, returns: step.returns };
  if (step.decision === 'approve') {
    await run.setStage('publication', actor, 'council_approved', [], step.note || undefined);
    return run.progress();
  }
  state.currentPass += 1;
  for (const returned of step.returns) state.requiredPass[returned.unitCode] = state.currentPass;
  await run.setStage('appraisal_round_2', actor, 'council_returned', [], step.note || undefined);
  await run.projector.emit({ campaignId, actor, action: 'council_decision', after, effects: [] });
  for (const returned of step.returns) {
    await getExternalWorkflowHandle(unitWorkflowId(campaignId, returned.unitCode)).signal(reopenAppraisalSignal, {
      pass: state.currentPass,
      areas: returned.areas,
      reason: returned.reason,
    });
  }
  return run.progress();
}

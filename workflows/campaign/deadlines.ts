import { condition, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { actorLabel } from '../../domain/actor-label';
import { parseDeadline, toVietnamIso } from '../../domain/deadlines';
import type { DeadlineChange } from '../../domain/steps';
import { timelineOrderIssues } from '../../domain/timeline-order';
import { UNIT_DEADLINE_KEYS, unitWorkflowId } from '../../domain/units';
import { UNIT_TIMER_KEYS, unitDeadlinesSignal, type CampaignProgress, type Step, type UnitDeadlineChange, type UnitTimerKey } from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { signalUnits } from './activities';
import { requireNotEnded, requireRole } from './guards';
import type { CampaignRun } from './run';

/** Sở Nội vụ moves a deadline to the future, keeping the stages in order; or extends one unit's own deadline. */
export function validateDeadlineMove(run: CampaignRun, step: Step<DeadlineChange>): void {
  refuseHostileText(step);
  requireRole(step.actor, ['admin'], 'Chỉ Sở Nội vụ thay đổi thời hạn', 'Only Sở Nội vụ changes deadlines');
  requireNotEnded(run);
  const at = parseDeadline(step.deadline);
  if (at === null || at <= Date.now()) {
    reject('invalid', 'Thời hạn mới phải ở tương lai', 'The new deadline must be in the future', [
      { path: ['deadline'], code: 'deadline_in_past', message_vi: 'Thời hạn mới phải ở tương lai', message_en: 'The new deadline must be in the future' },
    ]);
  }
  if (step.unitCode === undefined) {
    const moved = timelineOrderIssues({ ...run.state.timeline, [step.key]: step.deadline });
    if (moved.length) reject('invalid', 'Thời hạn mới làm đảo thứ tự các bước', 'The new deadline puts the stages out of order', moved);
    return;
  }
  if (!run.unitCodes.includes(step.unitCode)) reject('not_found', `Không có đơn vị ${step.unitCode}`, `No unit ${step.unitCode}`);
  if (!(UNIT_DEADLINE_KEYS as readonly string[]).includes(step.key)) {
    reject('invalid', `Chỉ gia hạn riêng cho một đơn vị với: ${UNIT_DEADLINE_KEYS.join(', ')}`, `Per-unit extensions apply to: ${UNIT_DEADLINE_KEYS.join(', ')}`, [
      { path: ['key'], code: 'not_extendable', message_vi: 'Hạn này không gia hạn riêng được', message_en: 'This deadline cannot be extended for one unit' },
    ]);
  }
  if (run.unitCodes.indexOf(step.unitCode) >= run.state.unitsStarted) {
    reject('wrong_stage', 'Đơn vị chưa bắt đầu tự đánh giá', 'The unit has not started its self-assessment yet');
  }
}

export async function moveDeadline(run: CampaignRun, step: Step<DeadlineChange>): Promise<CampaignProgress> {
  const { state, campaignId } = run;
  state.deadlineChanges += 1;
  const changeId = `${campaignId}/deadline/${state.deadlineChanges}`;
  const deadline = toVietnamIso(parseDeadline(step.deadline)!);
  const actor = actorLabel(step.actor);
  if (step.unitCode) {
    const change: UnitDeadlineChange = { changeId, scope: 'unit', key: step.key as UnitTimerKey, deadline, actor, reason: step.reason };
    await getExternalWorkflowHandle(unitWorkflowId(campaignId, step.unitCode)).signal(unitDeadlinesSignal, change);
    await run.projector.emit({ campaignId, unitCode: step.unitCode, actor, action: 'deadline_extension_granted', after: { key: step.key, deadline }, reason: step.reason, effects: [] });
    return run.progress();
  }
  const before = state.timeline[step.key];
  state.timeline = { ...state.timeline, [step.key]: step.deadline };
  await run.projector.emit({
    campaignId,
    actor,
    action: 'deadline_moved',
    before: { key: step.key, deadline: before },
    after: { key: step.key, deadline: step.deadline },
    reason: step.reason,
    effects: [{ kind: 'campaign_timeline', timeline: { ...state.timeline } }],
  });
  if (!(UNIT_TIMER_KEYS as readonly string[]).includes(step.key)) return run.progress();
  const change: UnitDeadlineChange = { changeId, scope: 'campaign', key: step.key as UnitTimerKey, deadline, actor, reason: step.reason };
  // A campaign-wide move reaches every unit started so far: in the background, after the moves before it and once
  // no batch of units is being opened (fan-out.ts); runs that do not take deadline-fan-out-v2 send it while the caller waits.
  if (patched('deadline-fan-out-v2')) {
    run.fanOut.inOrder(async () => {
      await condition(() => !run.openingUnits);
      if (state.unitsStarted === 0) return;
      await signalUnits({ campaignId, unitCodes: run.unitCodes.slice(0, state.unitsStarted), signal: 'unitDeadlines', payload: change });
    });
  } else if (state.unitsStarted > 0) {
    await signalUnits({ campaignId, unitCodes: run.unitCodes.slice(0, state.unitsStarted), signal: 'unitDeadlines', payload: change });
  }
  return run.progress();
}

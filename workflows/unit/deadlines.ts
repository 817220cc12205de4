import { parseDeadline } from '../../domain/deadlines';
import type { UnitDeadlineChange } from '../../contracts/messages';
import type { ChangeDraft } from '../projector';
import type { UnitRun } from './run';

/**
 * A deadline moved for every unit, or extended for this one: the stage timers
 * and reminders re-arm from the state, and the read model hears of it.
 */
export function applyDeadlineChange(run: UnitRun, change: UnitDeadlineChange): void {
  const { state } = run;
  // A retried fan-out may deliver the same change twice.
  if (state.seenChangeIds.includes(change.changeId)) return;
  state.seenChangeIds = [...state.seenChangeIds.slice(-49), change.changeId];
  const at = parseDeadline(change.deadline);
  if (at === null) return;
  if (change.scope === 'unit') state.extensions[change.key] = at;
  else state.campaignDeadlines[change.key] = at;
  const moved: ChangeDraft = {
    campaignId: run.campaignId,
    unitCode: run.unit.code,
    actor: change.actor,
    action: change.scope === 'unit' ? 'deadline_extended' : 'deadline_moved',
    after: { key: change.key, deadline: change.deadline },
    reason: change.reason,
    effects: [run.unitStateEffect()],
  };
  void (run.inTask ? run.projector.emitAll([moved]) : run.projector.emit(moved));
}

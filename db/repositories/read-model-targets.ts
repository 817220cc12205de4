import type { ReadModelChange, ReadModelEffect } from '../../domain/effects';

/**
 * The read-model rows an effect overwrites, named within its campaign
 * (`unit_state:STP`, `score:STP:self:1.2`). A change's event records them
 * (campaign_events.writes), so that applying an older change late (an
 * operator's retry of a parked one) can skip what a newer change of the same
 * workflow already wrote instead of putting older state over newer.
 *
 * Explanation requests name nothing: they are inserted once by id and never
 * overwritten, so applying one late cannot undo anything.
 */
export function effectTargets(effect: ReadModelEffect): string[] {
  switch (effect.kind) {
    case 'campaign_stage':
    case 'campaign_timeline':
    case 'survey_status':
    case 'publication':
      return [effect.kind];
    case 'unit_state':
      return [`unit_state:${effect.unitCode}`];
    case 'scores':
      return effect.entries.map((entry) => `score:${effect.unitCode}:${effect.column}:${entry.code}`);
    case 'explanation_requests':
      return [];
    case 'explanation_answer':
      return [`explanation_answer:${effect.unitCode}:${effect.requestId}`];
    case 'guidance_contribution':
      return [`guidance:${effect.contributor}`];
    case 'survey_points':
      return effect.points.map((point) => `survey_points:${point.unitCode}`);
    default: {
      const unknown: never = effect;
      throw new TypeError(`Unknown read-model effect ${JSON.stringify(unknown)}`);
    }
  }
}

export function changeTargets(change: Pick<ReadModelChange, 'effects'>): string[] {
  return [...new Set(change.effects.flatMap(effectTargets))];
}

/**
 * The effect without what `written` already holds: a snapshot effect whole or
 * not at all, marks and survey points entry by entry: the effect itself when
 * nothing was written since, null when nothing is left.
 */
export function withoutWritten(effect: ReadModelEffect, written: ReadonlySet<string>): ReadModelEffect | null {
  switch (effect.kind) {
    case 'scores': {
      const entries = effect.entries.filter((entry) => !written.has(`score:${effect.unitCode}:${effect.column}:${entry.code}`));
      return entries.length === effect.entries.length ? effect : entries.length === 0 ? null : { ...effect, entries };
    }
    case 'survey_points': {
      const points = effect.points.filter((point) => !written.has(`survey_points:${point.unitCode}`));
      return points.length === effect.points.length ? effect : points.length === 0 ? null : { ...effect, points };
    }
    default:
      return effectTargets(effect).some((target) => written.has(target)) ? null : effect;
  }
}


import { parseDeadline, toVietnamIso } from './deadlines';
import { changeKey, type ReadModelChange } from './effects';
import { unitWorkflowId } from './units';

/** The campaign deadlines a unit opens with, as ISO instants. */
export interface OpeningDeadlines {
  self_assessment_due: string;
  explanations_due: string;
}

/**
 * A unit's first read-model change, `unit_opened` (stage self_assessment,
 * status pending, its deadlines). The campaign projects it before it starts
 * the unit (BENCHMARKS.md, P1), under the key of the unit's own seq 1, so the unit
 * projects nothing of its opening and a retry applies nothing twice.
 */
export function unitOpenedChange(campaignId: string, unitCode: string, deadlines: OpeningDeadlines, at: string): ReadModelChange {
  const opened = { stage: 'self_assessment' as const, status: 'pending' as const };
  return {
    idempotencyKey: changeKey(unitWorkflowId(campaignId, unitCode), 1),
    campaignId,
    unitCode,
    actor: 'system',
    action: 'unit_opened',
    at,
    before: opened,
    after: opened,
    effects: [
      {
        kind: 'unit_state',
        unitCode,
        ...opened,
        flags: [],
        selfAssessmentDue: toVietnamIso(parseDeadline(deadlines.self_assessment_due) ?? 0),
        explanationsDue: toVietnamIso(parseDeadline(deadlines.explanations_due) ?? 0),
      },
    ],
  };
}

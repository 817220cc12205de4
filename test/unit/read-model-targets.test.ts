import { describe, expect, it } from 'vitest';
import { parseChangeKey, type ReadModelEffect } from '../../domain/effects';
import { changeTargets, withoutWritten } from '../../db/repositories/read-model-targets';

const state: ReadModelEffect = {
  kind: 'unit_state',
  unitCode: 'STP',
  stage: 'appraisal_round_1',
  status: 'submitted',
  flags: [],
  selfAssessmentDue: '2019-10-15',
  explanationsDue: '2019-11-15',
};
const mark = (code: string) => ({ code, input: { kind: 'boolean' as const, value: true }, pointsCenti: 100, note: '', evidence: [] });
const scores: ReadModelEffect = { kind: 'scores', unitCode: 'STP', column: 'round1', entries: [mark('1.1'), mark('1.2')], setBy: 'vp', setAt: '2019-10-20T00:00:00Z' };

describe('what a change writes, for a late retry', () => {
  it('names each row an effect overwrites, and nothing for explanation requests, which are never overwritten', () => {
    const requests: ReadModelEffect = { kind: 'explanation_requests', unitCode: 'STP', requests: [] };
    expect(changeTargets({ effects: [state, scores, requests, { kind: 'campaign_stage', stage: 'appraisal_round_1' }] })).toEqual([
      'unit_state:STP',
      'score:STP:round1:1.1',
      'score:STP:round1:1.2',
      'campaign_stage',
    ]);
  });

  it('drops a snapshot a later change wrote, and only the marks a later change wrote', () => {
    expect(withoutWritten(state, new Set(['unit_state:STP']))).toBeNull();
    expect(withoutWritten(state, new Set(['unit_state:QUAN_BA_DINH']))).toBe(state);
    expect(withoutWritten(scores, new Set(['score:STP:round1:1.1']))).toEqual({ ...scores, entries: [mark('1.2')] });
    expect(withoutWritten(scores, new Set(['score:STP:self:1.1', 'score:STP:self:1.2']))).toBe(scores);
    expect(withoutWritten(scores, new Set(['score:STP:round1:1.1', 'score:STP:round1:1.2']))).toBeNull();
  });

  it('reads the workflow ID and the sequence number back from a change key', () => {
    expect(parseChangeKey('par-2019-hn/unit-STP#12')).toEqual({ workflowId: 'par-2019-hn/unit-STP', seq: 12 });
    expect(parseChangeKey('par-2019-hn#state-STP')).toBeNull();
  });
});

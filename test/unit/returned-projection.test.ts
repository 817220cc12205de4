import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createReturnedProjection, type ReturnedProjectionDeps } from '../../application/services/returned-projection';
import type { ProjectionIntent, ReturnedStep } from '../../db/repositories/projection-intents';
import type { ReadModelChange } from '../../domain/effects';

const change = (workflowId: string, seq: number): ReadModelChange => ({
  idempotencyKey: `${workflowId}#${seq}`,
  campaignId: 'c',
  actor: 'system',
  action: 'stage_changed',
  at: '2026-12-08T00:00:00.000Z',
  effects: [],
});
const intent = (workflowId: string): ProjectionIntent => ({ workflowId, updateId: `u-${workflowId}`, campaignId: 'c' });
const step = (workflowId: string, seq: number): ReturnedStep => ({ intent: intent(workflowId), changes: [change(workflowId, seq), change(workflowId, seq + 1)] });

/** A database error as postgres.js raises it: a SQLSTATE the projection sorts by (db/failures.ts). */
const dbError = (code: string) => Object.assign(new Error(`refused ${code}`), { code });

function fakes(overrides: { applyReturned?: (steps: readonly ReturnedStep[]) => Promise<{ applied: number }>; result?: (updateId: string) => Promise<unknown> } = {}) {
  const transactions: string[][] = [];
  const settled: string[] = [];
  const parked: string[] = [];
  const applied: string[] = [];
  const stale: (ProjectionIntent & { createdAt: Date })[] = [];
  const deps: ReturnedProjectionDeps = {
    intents: {
      record: async () => undefined,
      applyReturned:
        overrides.applyReturned ??
        (async (steps) => {
          transactions.push(steps.map((one) => one.intent.workflowId));
          return { applied: steps.length * 2 };
        }),
      settle: async (intents) => {
        settled.push(...intents.map((one) => one.workflowId));
      },
      listStale: async () => stale,
    },
    readModel: {
      applyChange: async (one) => {
        if (one.idempotencyKey.startsWith('bad')) throw dbError('22021');
        applied.push(one.idempotencyKey);
        return { applied: true };
      },
    },
    parked: {
      park: async (one) => {
        parked.push(one.idempotencyKey);
      },
    },
    temporal: {
      withDeadline: (_deadline: number | Date, call: () => Promise<unknown>) => call(),
      workflow: { getHandle: () => ({ getUpdateHandle: (updateId: string) => ({ result: () => overrides.result!(updateId) }) }) },
    } as unknown as ReturnedProjectionDeps['temporal'],
    log: { warn: () => undefined, error: () => undefined },
    sweepEveryMs: 0,
  };
  return { deps, transactions, settled, parked, applied, stale };
}

describe('the API’s projection of returned steps', () => {
  it('puts every step that arrives while a transaction runs into the next one, in arrival order', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[][] = [];
    const { deps } = fakes({
      applyReturned: async (steps) => {
        order.push(steps.map((one) => one.intent.workflowId));
        if (order.length === 1) await held;
        return { applied: steps.length * 2 };
      },
    });
    const projection = createReturnedProjection(deps);
    const first = projection.project(step('a', 2));
    const later = [projection.project(step('b', 2)), projection.project(step('c', 2)), projection.project(step('d', 5))];
    release();
    await Promise.all([first, ...later]);
    expect(order).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('applies the steps of a batch the database refuses for good one by one, parks the refused change and settles its intent', async () => {
    const { deps, parked, applied, settled } = fakes({
      applyReturned: async (steps) => {
        if (steps.some((one) => one.intent.workflowId === 'bad')) throw dbError('22021');
        return { applied: steps.length * 2 };
      },
    });
    const projection = createReturnedProjection(deps);
    await Promise.all([projection.project(step('ok', 2)), projection.project(step('bad', 2))]);
    expect(parked).toEqual(['bad#2', 'bad#3']);
    expect(applied).toEqual([]);
    expect(settled).toEqual(['bad']);
  });

  it('answers the waiting steps and keeps their intents when the database is away', async () => {
    const { deps, settled } = fakes({
      applyReturned: async () => {
        throw dbError('57P01');
      },
    });
    const projection = createReturnedProjection(deps);
    await expect(projection.project(step('a', 2))).resolves.toBeUndefined();
    expect(settled).toEqual([]);
  });

  it('projects a stale intent from its update’s outcome, settles a refused one and keeps one Temporal cannot answer yet', async () => {
    const { deps, transactions, settled, stale } = fakes({
      result: async (updateId) => {
        if (updateId === 'u-accepted') return { answer: {}, changes: [change('accepted', 2)] };
        if (updateId === 'u-refused') throw new WorkflowUpdateFailedError('Workflow Update failed', undefined);
        throw new Error('deadline exceeded');
      },
    });
    stale.push(...['accepted', 'refused', 'slow'].map((id) => ({ ...intent(id), createdAt: new Date(0) })));
    const projection = createReturnedProjection(deps);
    expect(await projection.sweep()).toEqual({ projected: 1, settled: 1, left: 1 });
    expect(transactions).toEqual([['accepted']]);
    expect(settled).toEqual(['refused']);
  });
});

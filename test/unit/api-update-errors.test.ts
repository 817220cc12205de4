import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, STATUS_BY_ERROR, UnavailableError, ValidationError, type AppError } from '../../application/errors';
import { toApiError, type WorkflowTarget } from '../../application/update-errors';
import type { RejectionDetails, RejectionKind } from '../../domain/rejections';

const campaign: WorkflowTarget = { kind: 'campaign', workflowId: 'par-2019-hn', campaignId: 'par-2019-hn' };
const unit: WorkflowTarget = { kind: 'unit', workflowId: 'par-2019-hn/unit-STP', campaignId: 'par-2019-hn', unitCode: 'STP' };
const survey: WorkflowTarget = { kind: 'survey', workflowId: 'par-2019-hn/survey', campaignId: 'par-2019-hn' };

/** What the client throws when an update validator calls workflows/reject.ts. */
function rejected(kind: RejectionKind, details: Partial<RejectionDetails> = {}): WorkflowUpdateFailedError {
  const full: RejectionDetails = { message_vi: `vi ${kind}`, message_en: `en ${kind}`, issues: [], ...details };
  const failure = ApplicationFailure.create({ type: kind, message: full.message_en, details: [full], nonRetryable: true });
  return new WorkflowUpdateFailedError('Workflow Update failed', failure);
}

function statusOf(error: unknown): number | undefined {
  return STATUS_BY_ERROR.get((error as AppError).constructor as new () => AppError);
}

describe('mapping workflow refusals to HTTP errors', () => {
  it('turns an invalid step into a 400 that carries the workflow sentence and every issue with its path', () => {
    const issues = [{ path: ['scores'], code: 'missing_subcriterion', message_vi: 'Chưa chấm 1.1.1', message_en: '1.1.1 is not scored' }];
    const error = toApiError(rejected('invalid', { message_vi: 'Bản tự đánh giá chưa hợp lệ', issues }), unit);
    expect(error).toBeInstanceOf(ValidationError);
    expect(statusOf(error)).toBe(400);
    expect(error).toMatchObject({ code: 'validation_failed', messageVi: 'Bản tự đánh giá chưa hợp lệ', messageEn: 'en invalid', issues });
  });

  it('turns forbidden into 403 and not_found into 404 with both languages', () => {
    const forbidden = toApiError(rejected('forbidden', { message_vi: 'Chỉ STP được thực hiện' }), unit);
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(statusOf(forbidden)).toBe(403);
    expect(forbidden).toMatchObject({ code: 'forbidden', messageVi: 'Chỉ STP được thực hiện', messageEn: 'en forbidden' });

    const missing = toApiError(rejected('not_found'), campaign);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(statusOf(missing)).toBe(404);
  });

  it.each(['wrong_stage', 'past_deadline', 'conflict'] as const)('turns %s into a 409 that keeps the kind as its error code', (kind) => {
    const error = toApiError(rejected(kind), campaign);
    expect(error).toBeInstanceOf(ConflictError);
    expect(statusOf(error)).toBe(409);
    expect(error).toMatchObject({ code: kind, messageVi: `vi ${kind}`, messageEn: `en ${kind}` });
  });

  it('falls back to the failure message when a rejection has no details', () => {
    const failure = ApplicationFailure.create({ type: 'forbidden', message: 'Not yours', nonRetryable: true });
    const error = toApiError(new WorkflowUpdateFailedError('Workflow Update failed', failure), unit);
    expect(error).toMatchObject({ code: 'forbidden', messageVi: 'Not yours', messageEn: 'Not yours', issues: [] });
  });

  it('answers 503 with a retry hint when the worker has no handler for the update yet (a deploy in progress)', () => {
    const failure = ApplicationFailure.nonRetryable('No registered handler for update: submitSelfAssessmentReturning');
    const error = toApiError(new WorkflowUpdateFailedError('Workflow Update failed', failure), unit);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(statusOf(error)).toBe(503);
    expect(error).toMatchObject({ code: 'worker_upgrading', retryAfterSeconds: 3 });
  });

  it('leaves an update failure of an unknown type alone, so it becomes a 500 that hides it', () => {
    const failure = ApplicationFailure.create({ type: 'TypeError', message: 'x is undefined' });
    const original = new WorkflowUpdateFailedError('Workflow Update failed', failure);
    expect(toApiError(original, campaign)).toBe(original);
    const plain = new Error('boom');
    expect(toApiError(plain, campaign)).toBe(plain);
  });

  it('answers 404 naming the campaign, the unit or the survey when the workflow does not exist', () => {
    const notFound = (target: WorkflowTarget) => toApiError(new WorkflowNotFoundError('workflow not found for ID: x', target.workflowId, undefined), target);
    expect(notFound(campaign)).toMatchObject({ code: 'campaign_not_found', messageVi: 'Không tìm thấy đợt đánh giá par-2019-hn' });
    const unitError = notFound(unit);
    expect(unitError).toBeInstanceOf(NotFoundError);
    expect(unitError).toMatchObject({ code: 'unit_not_found' });
    expect((unitError as AppError).messageVi).toContain('đơn vị STP');
    expect(notFound(survey)).toMatchObject({ code: 'survey_not_found' });
  });

  it('answers 409 campaign_closed when the workflow has already completed', () => {
    // What the server says for an update to a closed run (see the integration test that terminates one).
    const completed = (target: WorkflowTarget) =>
      toApiError(new WorkflowNotFoundError('workflow execution already completed', target.workflowId, undefined), target);
    for (const target of [campaign, unit]) {
      const error = completed(target);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'campaign_closed' });
    }
    expect(completed(survey)).toMatchObject({ code: 'survey_closed' });
  });

  it('answers 503 update_pending when the update call timed out, so the caller retries with the same key', () => {
    const error = toApiError(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'), campaign, 'key-1');
    expect(error).toBeInstanceOf(UnavailableError);
    expect(statusOf(error)).toBe(503);
    expect((error as AppError).messageEn).toMatch(/Idempotency-Key: key-1/);
    expect(error).toMatchObject({ code: 'update_pending', idempotencyKey: 'key-1', retryAfterSeconds: 3 });
  });
});

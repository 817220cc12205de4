import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ValidationIssue } from '../domain/issues';
import { isRejectionKind, REJECTION_KINDS, type RejectionDetails, type RejectionKind } from '../domain/rejections';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnavailableError, ValidationError } from './errors';
import { wireIssues } from './wire-keys';

/**
 * Turns what the Temporal client throws for a query or an update into the
 * API's typed errors. Workflows refuse a step with an ApplicationFailure whose
 * type is a rejection kind (workflows/reject.ts); the client wraps it in a
 * WorkflowUpdateFailedError. Anything unrecognised is returned unchanged and
 * becomes a 500 that hides its details.
 */

/** The workflow a call was aimed at, named for the caller in both languages. */
export interface WorkflowTarget {
  kind: 'campaign' | 'unit' | 'survey';
  workflowId: string;
  campaignId: string;
  unitCode?: string;
}

/** How long a caller waits before it retries a step that did not answer in time: a restarted worker is usually back by then. */
export const UPDATE_PENDING_RETRY_AFTER_SECONDS = 3;

/**
 * `idempotencyKey`: the key the step was sent with (the caller's, or one the
 * API made up when the caller sent none), named in an `update_pending` answer.
 */
export function toApiError(error: unknown, target: WorkflowTarget, idempotencyKey?: string): unknown {
  if (error instanceof WorkflowUpdateFailedError) {
    const failure = error.cause;
    if (failure instanceof ApplicationFailure && isRejectionKind(failure.type)) {
      return fromRejection(failure.type, readDetails(failure));
    }
    if (failure instanceof ApplicationFailure && UNKNOWN_UPDATE.test(failure.message)) return workerBehind();
    return error;
  }
  if (error instanceof WorkflowNotFoundError) {
    // The server answers an update to a closed workflow with NOT_FOUND
    // "workflow execution already completed" (also after terminate or fail);
    // the step exists but its time is over, so 409 rather than 404.
    return /already completed/i.test(error.message) ? closed(target) : notFound(target);
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    const key = idempotencyKey ? `: ${idempotencyKey}` : '';
    return new UnavailableError(
      'update_pending',
      `Quy trình chưa trả lời kịp; gửi lại yêu cầu với cùng Idempotency-Key${key} để nhận kết quả mà không thực hiện hai lần`,
      `The workflow did not answer in time; retry with the same Idempotency-Key${key} to get the result without doing the step twice`,
      UPDATE_PENDING_RETRY_AFTER_SECONDS,
      idempotencyKey,
    );
  }
  return error;
}

/**
 * The SDK's refusal of an update the running worker has no handler for: during a deploy, an API already
 * on the new version reached a worker still on the old one. Nothing was applied; the same request succeeds
 * once the new worker polls.
 */
const UNKNOWN_UPDATE = /^No registered handler for update/;

function workerBehind(): UnavailableError {
  return new UnavailableError(
    'worker_upgrading',
    'Hệ thống đang được nâng cấp và chưa nhận được bước này; chưa có gì thay đổi, đề nghị gửi lại sau ít giây',
    'The system is being upgraded and could not take this step yet; nothing was changed, retry in a few seconds',
    UPDATE_PENDING_RETRY_AFTER_SECONDS,
  );
}

function fromRejection(kind: RejectionKind, details: RejectionDetails): AppError {
  const { message_vi: vi, message_en: en } = details;
  const issues = wireIssues(details.issues);
  switch (REJECTION_KINDS[kind]) {
    case 400:
      return new ValidationError(issues, vi, en);
    case 403:
      return new ForbiddenError('forbidden', vi, en, issues);
    case 404:
      return new NotFoundError('not_found', vi, en, issues);
    case 409:
      // wrong_stage, past_deadline and conflict keep their kind as the response's `error`.
      return new ConflictError(kind, vi, en, issues);
  }
}

/** details[0] as written by workflows/reject.ts, tolerating a failure built some other way. */
function readDetails(failure: ApplicationFailure): RejectionDetails {
  const raw = (failure.details?.[0] ?? {}) as Partial<Record<keyof RejectionDetails, unknown>>;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const issues = Array.isArray(raw.issues) ? (raw.issues as ValidationIssue[]) : [];
  const messageEn = text(raw.message_en) ?? (failure.message || 'The step was refused');
  return { message_vi: text(raw.message_vi) ?? messageEn, message_en: messageEn, issues };
}

function describeTarget(target: WorkflowTarget): { vi: string; en: string } {
  switch (target.kind) {
    case 'campaign':
      return { vi: `đợt đánh giá ${target.campaignId}`, en: `campaign ${target.campaignId}` };
    case 'unit':
      return { vi: `đơn vị ${target.unitCode} của đợt đánh giá ${target.campaignId}`, en: `unit ${target.unitCode} of campaign ${target.campaignId}` };
    case 'survey':
      return { vi: `điều tra xã hội học của đợt đánh giá ${target.campaignId}`, en: `the survey of campaign ${target.campaignId}` };
  }
}

function notFound(target: WorkflowTarget): NotFoundError {
  const { vi, en } = describeTarget(target);
  if (target.kind === 'unit') {
    return new NotFoundError(
      'unit_not_found',
      `Không tìm thấy ${vi} (đơn vị không thuộc đợt đánh giá, hoặc đợt đánh giá chưa mở tự đánh giá)`,
      `Not found: ${en} (the unit is not in the campaign, or self-assessment has not opened yet)`,
    );
  }
  return new NotFoundError(`${target.kind}_not_found`, `Không tìm thấy ${vi}`, `Not found: ${en}`);
}

function closed(target: WorkflowTarget): ConflictError {
  const { vi, en } = describeTarget(target);
  // The survey track ends when its results are accepted, while the campaign goes on.
  const code = target.kind === 'survey' ? 'survey_closed' : 'campaign_closed';
  return new ConflictError(code, `Quy trình của ${vi} đã kết thúc; không nhận thêm thao tác`, `The workflow of ${en} has ended and takes no more steps`);
}

/** gRPC status codes (grpc.github.io/grpc/core/md_doc_statuscodes.html) of a Temporal server that is away or did not answer in time. */
const TEMPORAL_OUTAGE_CODES = new Set([
  4, // DEADLINE_EXCEEDED: no answer within the call's deadline
  14, // UNAVAILABLE: the server cannot be reached
]);

/**
 * The Temporal server could not be reached, or did not answer a query or a
 * start within the call's deadline: the client's ServiceError carries the
 * gRPC error as its cause.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (isGrpcServiceError(current) && TEMPORAL_OUTAGE_CODES.has(current.code)) return true;
  }
  return false;
}

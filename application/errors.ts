import type { ValidationIssue } from '../domain/issues';

/**
 * Typed errors that services and guards throw; the error handler maps each to
 * an HTTP status through one table. Messages come in Vietnamese and English.
 * `code` is the response's `error` field: one per class by default, or a more
 * precise one per instance (e.g. a 409 says `past_deadline` or `wrong_stage`).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly messageVi: string,
    readonly messageEn: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(messageEn);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  /** The default messages suit schema checks; a workflow's rejection brings its own sentence. */
  constructor(issues: ValidationIssue[], messageVi = 'Dữ liệu không hợp lệ', messageEn = 'Invalid input') {
    super('validation_failed', messageVi, messageEn, issues);
  }
}
export class UnauthorizedError extends AppError {}
export class ForbiddenError extends AppError {}
export class NotFoundError extends AppError {}
export class ConflictError extends AppError {}

/** The one answer for a unit code the campaign does not have (evidence, drafts, progress). */
export function unitNotFound(campaignId: string, unitCode: string): NotFoundError {
  return new NotFoundError('unit_not_found', `Đơn vị ${unitCode} không tham gia đợt đánh giá ${campaignId}`, `Unit ${unitCode} is not in campaign ${campaignId}`);
}
/** The caller sent more requests than the rate limit allows (http/auth/guards.ts). */
export class TooManyRequestsError extends AppError {}
/** An uploaded file is over its size limit (evidence files, application/services/evidence.ts). */
export class PayloadTooLargeError extends AppError {}
/** An uploaded file's declared type or its content is not an accepted kind (evidence files). */
export class UnsupportedMediaTypeError extends AppError {}
/**
 * A dependency (Postgres, Temporal, a workflow's worker) did not answer in
 * time; the caller may retry after `retryAfterSeconds` (the Retry-After
 * header), a step with `idempotencyKey`, which the answer names in its body
 * and in the Idempotency-Key header.
 */
export class UnavailableError extends AppError {
  constructor(
    code: string,
    messageVi: string,
    messageEn: string,
    readonly retryAfterSeconds: number,
    readonly idempotencyKey?: string,
  ) {
    super(code, messageVi, messageEn);
  }
}

export const STATUS_BY_ERROR = new Map<new (...args: never[]) => AppError, number>([
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [TooManyRequestsError, 429],
  [UnavailableError, 503],
]);

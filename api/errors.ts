import type { ValidationIssue } from '../domain/issues';

/**
 * Typed errors that services and guards throw; the error handler maps each to
 * an HTTP status through one table. Messages come in Vietnamese and English.
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
  constructor(issues: ValidationIssue[]) {
    super('validation_failed', 'Dữ liệu không hợp lệ', 'Invalid input', issues);
  }
}
export class UnauthorizedError extends AppError {}
export class ForbiddenError extends AppError {}
export class NotFoundError extends AppError {}
export class ConflictError extends AppError {}

export const STATUS_BY_ERROR = new Map<new (...args: never[]) => AppError, number>([
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
]);

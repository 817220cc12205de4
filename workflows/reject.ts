import { ApplicationFailure } from '@temporalio/workflow';
import type { ValidationIssue } from '../domain/issues';
import type { RejectionDetails, RejectionKind } from '../domain/rejections';
import { hostileTextIssues } from '../domain/text-rules';

/**
 * Refuses a step from an update validator or handler. An ApplicationFailure
 * fails only the update (any other error would fail the workflow task and stall
 * the workflow); its type and details let the API answer 400/403/404/409.
 */
export function reject(kind: RejectionKind, messageVi: string, messageEn: string, issues: ValidationIssue[] = []): never {
  const details: RejectionDetails = { message_vi: messageVi, message_en: messageEn, issues };
  throw ApplicationFailure.create({ type: kind, message: messageEn, details: [details], nonRetryable: true });
}

/**
 * Refuses a step whose payload holds a character no typed text may hold
 * (domain/text-rules.ts): the API's schemas refuse them first, and this makes
 * the workflow itself hold the line, so nothing it accepts can fail to be
 * projected (Postgres refuses NUL and lone surrogates). The actor comes from a
 * verified token and is not the caller's text.
 */
export function refuseHostileText(step: { actor?: unknown }): void {
  const issues = hostileTextIssues({ ...step, actor: undefined });
  if (issues.length) reject('invalid', 'Dữ liệu chứa ký tự không được phép', 'The step contains characters that are not allowed', issues);
}

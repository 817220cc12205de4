import { ApplicationFailure } from '@temporalio/workflow';
import type { ValidationIssue } from '../domain/issues';
import type { RejectionDetails, RejectionKind } from '../domain/rejections';

/**
 * Refuses a step from an update validator or handler. An ApplicationFailure
 * fails only the update (any other error would fail the workflow task and stall
 * the workflow); its type and details let the API answer 400/403/404/409.
 */
export function reject(kind: RejectionKind, messageVi: string, messageEn: string, issues: ValidationIssue[] = []): never {
  const details: RejectionDetails = { message_vi: messageVi, message_en: messageEn, issues };
  throw ApplicationFailure.create({ type: kind, message: messageEn, details: [details], nonRetryable: true });
}

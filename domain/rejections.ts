import type { ValidationIssue } from './issues';

/**
 * Why a workflow refused a human step. Workflows throw these as the type of an
 * ApplicationFailure; the API maps each kind to an HTTP status.
 */
export const REJECTION_KINDS = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  wrong_stage: 409,
  past_deadline: 409,
  conflict: 409,
} as const;
export type RejectionKind = keyof typeof REJECTION_KINDS;

export interface RejectionDetails {
  message_vi: string;
  message_en: string;
  issues: ValidationIssue[];
}

export function isRejectionKind(type: string | null | undefined): type is RejectionKind {
  return typeof type === 'string' && type in REJECTION_KINDS;
}

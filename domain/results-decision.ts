import { formatDateVi, parseDeadline } from './deadlines';

/**
 * How published results cite the decision that published them:
 * "Quyết định số 1752/QĐ-UBND ngày 29/04/2020". Undefined while there is no
 * decision number, so callers fall back to their draft wording.
 */
export function decisionCitationVi(decision: { readonly publishedDecisionNumber: string | null; readonly publishedDecisionDate: string | null }): string | undefined {
  if (!decision.publishedDecisionNumber) return undefined;
  const date = decision.publishedDecisionDate ? parseDeadline(decision.publishedDecisionDate) : null;
  return `Quyết định số ${decision.publishedDecisionNumber}${date === null ? '' : ` ngày ${formatDateVi(date)}`}`;
}

/**
 * The short form of the digest frozen at publication, printed on the report
 * as "Mã kiểm chứng": its first 16 hex digits in groups of four. Anyone can
 * compare it with GET /campaigns/:id/verification or `npm run verify`.
 */
export function verificationCode(digest: string): string {
  return (digest.slice(0, 16).toUpperCase().match(/.{4}/g) ?? []).join('-');
}

/** "Mã kiểm chứng: 3F2A-91BC-0D4E-77A1" for a published report; '' without a digest. */
export function verificationLineVi(digest: string | null | undefined): string {
  return digest ? `Mã kiểm chứng: ${verificationCode(digest)}` : '';
}

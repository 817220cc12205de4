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

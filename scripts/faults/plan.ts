/**
 * Which faults `npm run faults` injects, and where. The worker is also killed
 * once in the reminder burst, and the Temporal server restarted once during
 * the survey's fieldwork, in every plan.
 *
 * - full: two campaigns; while self-assessments are in flight the worker is
 *   killed three times and the API once; while appraisals are, the worker six
 *   times, Postgres restarted once and the API killed once: worker ×10,
 *   Temporal ×1, Postgres ×1, API ×2 in all.
 * - quick: one campaign, each kind of fault once or twice (worker ×3, Temporal
 *   ×1, Postgres ×1, API ×1): the same mechanisms in about half the time, for CI.
 */
export type Fault = 'worker' | 'api' | 'postgres';

export interface FaultPlan {
  campaigns: number;
  duringSelfAssessments: Fault[];
  duringAppraisals: Fault[];
}

export const FULL_PLAN: FaultPlan = {
  campaigns: 2,
  duringSelfAssessments: ['worker', 'api', 'worker', 'worker'],
  duringAppraisals: ['worker', 'postgres', 'worker', 'api', 'worker', 'worker', 'worker', 'worker'],
};

export const QUICK_PLAN: FaultPlan = {
  campaigns: 1,
  duringSelfAssessments: ['worker', 'api'],
  duringAppraisals: ['postgres', 'worker'],
};

/** How many of each fault a plan injects, by the names the summary prints. */
export function plannedCounts(plan: FaultPlan): Record<string, number> {
  const all = [...plan.duringSelfAssessments, ...plan.duringAppraisals];
  const times = (fault: Fault) => all.filter((planned) => planned === fault).length;
  return { 'worker SIGKILL': times('worker') + 1, 'Temporal restart': 1, 'Postgres immediate restart': times('postgres'), 'API SIGKILL': times('api') };
}

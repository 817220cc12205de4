import type { CampaignStage } from './stages';
import type { Timeline } from './campaign';
import type { ScoreInput } from './scoring/score-entry';
import type { Evidence } from './steps';
import type { SurveyStatus } from './survey-status';
import type { UnitFlag, UnitStage, UnitStatus } from './units';

/**
 * What a workflow step changes in the Postgres read model. A workflow emits one
 * ReadModelChange per accepted step; the `project` activity applies its effects
 * and appends its event in one transaction, keyed by `idempotencyKey`, so a
 * retried or replayed activity applies nothing twice.
 */
export type ReadModelEffect =
  | { kind: 'campaign_stage'; stage: CampaignStage }
  | { kind: 'campaign_timeline'; timeline: Timeline }
  | {
      kind: 'unit_state';
      unitCode: string;
      stage: UnitStage;
      status: UnitStatus;
      flags: UnitFlag[];
      selfAssessmentDue: string;
      explanationsDue: string;
    }
  | {
      kind: 'scores';
      unitCode: string;
      column: 'self' | 'round1' | 'round2';
      entries: { code: string; input: ScoreInput; pointsCenti: number; note: string; evidence: Evidence[] }[];
      setBy: string;
      setAt: string;
    }
  | {
      kind: 'explanation_requests';
      unitCode: string;
      requests: { id: string; code: string; areaCode: string; question: string; requestedBy: string; dueAt: string }[];
    }
  | { kind: 'explanation_answer'; unitCode: string; requestId: string; note: string; evidence: Evidence[]; answeredAt: string }
  | { kind: 'guidance_contribution'; contributor: string; areas: string[]; document: Evidence; summary: string }
  | { kind: 'survey_status'; status: SurveyStatus }
  | { kind: 'survey_points'; points: { unitCode: string; pointsCenti: number }[] }
  | { kind: 'publication'; decisionNumber: string; decisionDate: string };

export interface ReadModelChange {
  idempotencyKey: string;
  campaignId: string;
  unitCode?: string;
  /** actorLabel() of who made the change, or "system" for timers. */
  actor: string;
  /** A short verb for the event log, e.g. self_assessment_submitted. */
  action: string;
  /** ISO time of the change (the workflow's clock). */
  at: string;
  reason?: string;
  before?: unknown;
  after?: unknown;
  effects: ReadModelEffect[];
}

/** The idempotency key of a workflow's seq-th change, the same whoever projects it. */
export function changeKey(workflowId: string, seq: number): string {
  return `${workflowId}#${seq}`;
}

/** The workflow ID and sequence number of a change's key `workflowId#seq` (changeKey). */
export function parseChangeKey(key: string): { workflowId: string; seq: number } | null {
  const match = /^(.+)#(\d+)$/.exec(key);
  return match ? { workflowId: match[1]!, seq: Number(match[2]) } : null;
}

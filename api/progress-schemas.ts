import { z } from 'zod';
import { CAMPAIGN_STAGES } from '../domain/stages';
import { UNIT_FLAGS, UNIT_STAGES, UNIT_STATUSES } from '../domain/units';
import type { CampaignProgress, SurveyProgress, UnitProgress } from '../workflows/messages';

/**
 * Response contracts for the workflows' progress (workflows/messages.ts): what
 * every step returns and what the progress queries answer. They list fields one
 * by one, so whatever a workflow adds later (or an actor copied into state)
 * stays out of the response until it is added here. The `satisfies` checks at
 * the bottom fail the type check when a workflow type drifts from its schema.
 */

const evidence = z.object({ name: z.string(), ref: z.string() });

export const campaignProgressSchema = z.object({
  campaignId: z.string(),
  year: z.number(),
  stage: z.enum(CAMPAIGN_STAGES),
  stageLabelVi: z.string(),
  unitCount: z.number(),
  recorded: z.boolean(),
  timeline: z.record(z.string(), z.string()).meta({ description: 'Thời hạn theo khóa / deadlines by key (YYYY-MM-DD or ISO)' }),
  guidance: z.object({
    contributions: z.array(z.object({ contributor: z.string(), areas: z.array(z.string()), document: evidence, submittedAt: z.string() })),
    missingAtPublication: z.array(z.string()).nullable(),
    publishedAt: z.string().nullable(),
    publishedDocument: evidence.nullable(),
    kickoff: z.object({ date: z.string(), attachment: evidence.optional(), note: z.string(), recordedAt: z.string() }).nullable(),
  }),
  unitsStarted: z.number(),
  unitsAppraised: z.number(),
  surveyAccepted: z.boolean(),
  aggregationPass: z.number(),
  council: z.array(
    z.object({
      round: z.number(),
      decision: z.enum(['approve', 'return']),
      decidedAt: z.string(),
      returns: z.array(z.object({ unitCode: z.string(), areas: z.array(z.string()), reason: z.string() })),
    }),
  ),
  publication: z.object({ decisionNumber: z.string(), decisionDate: z.string(), publishedAt: z.string() }).nullable(),
});

export const unitProgressSchema = z.object({
  campaignId: z.string(),
  unitCode: z.string(),
  groupCode: z.string(),
  stage: z.enum(UNIT_STAGES),
  status: z.enum(UNIT_STATUSES),
  flags: z.array(z.enum(UNIT_FLAGS)),
  selfAssessmentDue: z.string(),
  explanationsDue: z.string(),
  submittedAt: z.string().nullable(),
  appraisedAreas: z.object({ round1: z.array(z.string()), round2: z.array(z.string()) }),
  round2Areas: z.array(z.string()),
  explanationRequests: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      areaCode: z.string(),
      question: z.string(),
      requestedBy: z.string(),
      answer: z.object({ note: z.string(), evidence: z.array(evidence), answeredAt: z.string() }).nullable(),
    }),
  ),
  pass: z.number(),
});

export const surveyProgressSchema = z.object({
  campaignId: z.string(),
  status: z.enum(['awaiting_plan', 'plan_submitted', 'plan_approved', 'fieldwork_open', 'fieldwork_closed', 'accepted']),
  plan: z.object({ document: evidence, summary: z.string(), submittedAt: z.string() }).nullable(),
  planReviews: z.array(z.object({ approve: z.boolean(), reason: z.string(), reviewedAt: z.string() })),
  fieldworkOpenedAt: z.string().nullable(),
  fieldworkClosedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  unitsCovered: z.number(),
});

// Drift checks: the workflow's value must fit the schema, and (where the types allow an exact
// comparison) the schema must describe nothing the workflow lacks. A drift fails `npm run typecheck`.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
export type ProgressSchemasMatchWorkflows = [
  Assert<Same<z.output<typeof surveyProgressSchema>, SurveyProgress>>,
  Assert<Same<z.output<typeof unitProgressSchema>, UnitProgress>>,
  // Timeline is a fixed-key record; the response documents it as string → string.
  Assert<Fits<CampaignProgress, z.input<typeof campaignProgressSchema>>>,
  Assert<Same<Omit<z.output<typeof campaignProgressSchema>, 'timeline'>, Omit<CampaignProgress, 'timeline'>>>,
];

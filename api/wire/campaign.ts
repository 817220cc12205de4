import { z } from 'zod';
import { councilDecisionSchema, councilReturnSchema, deadlineChangeSchema, publicationSchema, type CouncilDecision, type DeadlineChange, type Publication } from '../../domain/steps';
import { CAMPAIGN_STAGES } from '../../domain/stages';
import type { CampaignProgress } from '../../contracts/messages';
import type { Same, SnakeKeys } from '../../application/wire-keys';

/**
 * The campaign workflow's steps and progress on the wire (application/wire-keys.ts):
 * the bodies of the steps whose domain fields are camelCase, and the progress
 * every campaign step and GET /campaigns/:campaignId/progress answer. The
 * response lists its fields one by one, so whatever the workflow adds later
 * stays out of it until it is added here. These bodies refuse a key they do not
 * know: a client still sending `unitCode` would otherwise move a deadline for
 * every unit instead of extending it for one.
 */

export const evidenceWire = z.object({ name: z.string(), ref: z.string() });

export const campaignProgressWire = z.object({
  campaign_id: z.string(),
  year: z.number(),
  stage: z.enum(CAMPAIGN_STAGES),
  stage_label_vi: z.string(),
  unit_count: z.number(),
  recorded: z.boolean(),
  timeline: z.record(z.string(), z.string()).meta({ description: 'Thời hạn theo khóa / deadlines by key (YYYY-MM-DD or ISO)' }),
  guidance: z.object({
    contributions: z.array(z.object({ contributor: z.string(), areas: z.array(z.string()), document: evidenceWire, submitted_at: z.string() })),
    missing_at_publication: z.array(z.string()).nullable(),
    published_at: z.string().nullable(),
    published_document: evidenceWire.nullable(),
    kickoff: z.object({ date: z.string(), attachment: evidenceWire.optional(), note: z.string(), recorded_at: z.string() }).nullable(),
  }),
  units_started: z.number(),
  units_appraised: z.number(),
  survey_accepted: z.boolean(),
  aggregation_pass: z.number(),
  council: z.array(
    z.object({
      round: z.number(),
      decision: z.enum(['approve', 'return']),
      decided_at: z.string(),
      returns: z.array(z.object({ unit_code: z.string(), areas: z.array(z.string()), reason: z.string() })),
    }),
  ),
  publication: z.object({ decision_number: z.string(), decision_date: z.string(), published_at: z.string() }).nullable(),
});
export type CampaignProgressWire = z.input<typeof campaignProgressWire>;

export function campaignProgressToWire(progress: CampaignProgress): CampaignProgressWire {
  const { guidance, publication } = progress;
  const kickoff = guidance.kickoff;
  return {
    campaign_id: progress.campaignId,
    year: progress.year,
    stage: progress.stage,
    stage_label_vi: progress.stageLabelVi,
    unit_count: progress.unitCount,
    recorded: progress.recorded,
    timeline: progress.timeline,
    guidance: {
      contributions: guidance.contributions.map(({ contributor, areas, document, submittedAt }) => ({ contributor, areas, document, submitted_at: submittedAt })),
      missing_at_publication: guidance.missingAtPublication,
      published_at: guidance.publishedAt,
      published_document: guidance.publishedDocument,
      kickoff: kickoff && { date: kickoff.date, ...(kickoff.attachment ? { attachment: kickoff.attachment } : {}), note: kickoff.note, recorded_at: kickoff.recordedAt },
    },
    units_started: progress.unitsStarted,
    units_appraised: progress.unitsAppraised,
    survey_accepted: progress.surveyAccepted,
    aggregation_pass: progress.aggregationPass,
    council: progress.council.map((round) => ({
      round: round.round,
      decision: round.decision,
      decided_at: round.decidedAt,
      returns: round.returns.map(({ unitCode, areas, reason }) => ({ unit_code: unitCode, areas, reason })),
    })),
    publication: publication && { decision_number: publication.decisionNumber, decision_date: publication.decisionDate, published_at: publication.publishedAt },
  };
}

const deadline = deadlineChangeSchema.shape;
export const deadlineChangeWire = z.strictObject({
  key: deadline.key,
  deadline: deadline.deadline,
  unit_code: deadline.unitCode.meta({ description: 'Chỉ đơn vị này (gia hạn); bỏ trống: mọi đơn vị / only this unit (an extension); absent: every unit' }),
  reason: deadline.reason,
});

export function deadlineChangeFromWire({ unit_code, ...change }: z.output<typeof deadlineChangeWire>): DeadlineChange {
  return { ...change, ...(unit_code !== undefined ? { unitCode: unit_code } : {}) };
}

const council = councilDecisionSchema.shape;
const councilReturn = councilReturnSchema.shape;
export const councilDecisionWire = z.strictObject({
  decision: council.decision,
  members_present: council.membersPresent,
  votes_for: council.votesFor,
  note: council.note,
  returns: z
    .array(z.strictObject({ unit_code: councilReturn.unitCode, areas: councilReturn.areas, reason: councilReturn.reason }))
    .max(20_000)
    .default([]),
});

export function councilDecisionFromWire(body: z.output<typeof councilDecisionWire>): CouncilDecision {
  return {
    decision: body.decision,
    membersPresent: body.members_present,
    votesFor: body.votes_for,
    note: body.note,
    returns: body.returns.map(({ unit_code, areas, reason }) => ({ unitCode: unit_code, areas, reason })),
  };
}

export const publicationWire = z.strictObject({ decision_number: publicationSchema.shape.decisionNumber, decision_date: publicationSchema.shape.decisionDate });

export function publicationFromWire(body: z.output<typeof publicationWire>): Publication {
  return { decisionNumber: body.decision_number, decisionDate: body.decision_date };
}

// Drift checks: each wire shape is its domain or workflow type respelt, field for field
// (the timeline is a fixed-key record the response documents as string → string).
type Assert<T extends true> = T;
export type CampaignWireMatchesDomain = [
  Assert<Same<Omit<z.output<typeof campaignProgressWire>, 'timeline'>, Omit<SnakeKeys<CampaignProgress>, 'timeline'>>>,
  Assert<Same<z.output<typeof deadlineChangeWire>, SnakeKeys<DeadlineChange>>>,
  Assert<Same<z.output<typeof councilDecisionWire>, SnakeKeys<CouncilDecision>>>,
  Assert<Same<z.output<typeof publicationWire>, SnakeKeys<Publication>>>,
];

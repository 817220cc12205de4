import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Timeline } from '../domain/campaign';
import type { CampaignStage } from '../domain/stages';
import type { SurveyStatus } from '../domain/survey-status';
import type { ReadModelEffect } from '../domain/effects';
import type { FrozenSheet, PassRowFlag, ScoreInput, UnitExplanation, UnitSheet } from '../domain/scoring';
import type { Evidence } from '../domain/steps';
import type { UnitFlag, UnitStage, UnitStatus } from '../domain/units';

/**
 * The Postgres read model. Temporal holds the truth about a running campaign;
 * activities mirror every state change here so that dashboards and progress
 * endpoints never query workflows one by one.
 */

export const campaigns = pgTable('campaigns', {
  id: text('id').primaryKey(),
  year: integer('year').notNull(),
  nameVi: text('name_vi').notNull(),
  stage: text('stage').$type<CampaignStage>().notNull(),
  /** 'running' for a campaign this system runs, 'completed' for one imported from a verification bundle (verification/import.ts); where a campaign stands is its `stage`. */
  status: text('status').$type<'running' | 'completed'>().notNull(),
  /** The campaign definition as started: framework, timeline, settings. */
  definition: jsonb('definition').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
  /** The deadlines in force: definition.timeline at creation, then every campaign_timeline effect. */
  timeline: jsonb('timeline').$type<Timeline>(),
  surveyStatus: text('survey_status').$type<SurveyStatus>().notNull().default('awaiting_plan'),
  publishedDecisionNumber: text('published_decision_number'),
  /** YYYY-MM-DD as written on the decision. */
  publishedDecisionDate: text('published_decision_date'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
});

export const campaignUnits = pgTable(
  'campaign_units',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    nameVi: text('name_vi').notNull(),
    groupCode: text('group_code').notNull(),
    /** domain/units.ts UnitStage, UnitStatus and UnitFlag, as the unit workflow last reported them. */
    stage: text('stage').$type<UnitStage>().notNull().default('self_assessment'),
    status: text('status').$type<UnitStatus>().notNull().default('pending'),
    flags: jsonb('flags').$type<UnitFlag[]>().notNull().default([]),
    selfAssessmentDue: timestamp('self_assessment_due', { withTimezone: true }),
    explanationsDue: timestamp('explanations_due', { withTimezone: true }),
    /** When the self-assessment was first submitted; a later reopening keeps it. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    /**
     * The seq (`workflowId#seq`) of the unit workflow's change that wrote the
     * state above: a change of the unit's own workflow with a lower seq leaves
     * the state alone, so the API's projection of a submission and the
     * workflow's own later changes may commit in either order. null until the
     * unit's own workflow writes it.
     */
    stateSeq: integer('state_seq'),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.unitCode] }),
    index('campaign_units_stage_status').on(table.campaignId, table.stage, table.status),
    index('campaign_units_group').on(table.campaignId, table.groupCode),
    // The units counted as late by the progress view (db/repositories/progress.ts): counting them reads
    // this small index instead of every submitted unit's flags (BENCHMARKS.md, P4).
    index('campaign_units_late')
      .on(table.campaignId, table.groupCode)
      .where(sql`${table.status} = 'submitted' and ${table.stage} = 'appraisal_round_1' and ${table.flags} @> '["submitted_late"]'::jsonb`),
  ],
);

/**
 * Append-only log of every state change: who, when, what, before/after, why.
 * `idempotencyKey` makes an activity retried after a crash write nothing twice.
 */
export const campaignEvents = pgTable(
  'campaign_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code'),
    actor: text('actor').notNull(),
    /** The full name of the account that made the step, as it was then (users.display_name); null for the system and for events older than this column. */
    actorName: text('actor_name'),
    action: text('action').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /**
     * The read-model rows the change's effects wrote, as effect targets
     * (db/repositories/read-model-targets.ts): an operator's retry of an earlier
     * parked change leaves alone what a later change of its workflow already
     * wrote. null for events recorded outside the projection.
     */
    writes: jsonb('writes').$type<string[]>(),
    /** The change's read-model effects as the projection applied them: what verification re-derives the results from. */
    effects: jsonb('effects').$type<ReadModelEffect[]>(),
    /**
     * The event's place in its campaign's hash chain (db/chain.ts), from 1, and
     * the link's hash over its content and the previous link's. null for events
     * recorded before the chain existed (docs/decisions.md).
     */
    chainSeq: integer('chain_seq'),
    chainHash: text('chain_hash'),
  },
  (table) => [
    uniqueIndex('campaign_events_idempotency_key').on(table.idempotencyKey),
    uniqueIndex('campaign_events_chain').on(table.campaignId, table.chainSeq),
    index('campaign_events_campaign').on(table.campaignId, table.occurredAt),
    // A returned unit's page reads the council's decisions and its round-2 appraisals
    // since (findCouncilReturn); both are few, so the partial indexes cost the
    // other events' inserts nothing.
    index('campaign_events_council_decisions').on(table.campaignId, table.id).where(sql`${table.action} = 'council_decision'`),
    index('campaign_events_round_2_appraisals').on(table.campaignId, table.unitCode, table.id).where(sql`${table.action} = 'area_appraised_round_2'`),
  ],
);

/**
 * One cell of the three-column score sheet (self, round 1, round 2) of a unit.
 * The DB column is score_column because COLUMN is an SQL reserved word.
 */
export const scoreEntries = pgTable(
  'score_entries',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    subcriterionCode: text('subcriterion_code').notNull(),
    column: text('score_column').$type<'self' | 'round1' | 'round2'>().notNull(),
    input: jsonb('input').$type<ScoreInput>().notNull(),
    pointsCenti: integer('points_centi').notNull(),
    note: text('note').notNull().default(''),
    evidence: jsonb('evidence').$type<Evidence[]>().notNull().default([]),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.unitCode, table.subcriterionCode, table.column] }),
    check('score_entries_column', sql`${table.column} in ('self', 'round1', 'round2')`),
  ],
);

/**
 * Each unit's marks as an aggregation pass takes them (domain/scoring
 * unit-sheet.ts): rebuilt from score_entries in the transaction that changes
 * them, so a pass reads one row per unit instead of scoring every mark again
 * (BENCHMARKS.md, P5). `version` counts the rebuilds: a pass copies the sheet whose
 * version it scored, or none.
 */
export const unitSheets = pgTable(
  'unit_sheets',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    /** json, not jsonb, as results.sheet: written whole, read whole. */
    sheet: json('sheet').$type<FrozenSheet>().notNull(),
    assessed: jsonb('assessed').$type<UnitSheet['assessed']>().notNull(),
    version: integer('version').notNull().default(1),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode] })],
);

/**
 * Explanation requests (giải trình) and their answers. Request ids come from the
 * unit workflow, so the key includes the unit: two units may use the same id.
 */
export const explanationRequests = pgTable(
  'explanation_requests',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    id: text('id').notNull(),
    subcriterionCode: text('subcriterion_code').notNull(),
    areaCode: text('area_code').notNull(),
    question: text('question').notNull(),
    requestedBy: text('requested_by').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    answerNote: text('answer_note'),
    answerEvidence: jsonb('answer_evidence').$type<Evidence[]>(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode, table.id] })],
);

export const guidanceContributions = pgTable(
  'guidance_contributions',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    contributor: text('contributor').notNull(),
    areas: jsonb('areas').$type<string[]>().notNull(),
    document: jsonb('document').$type<Evidence>().notNull(),
    summary: text('summary').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    submittedBy: text('submitted_by').notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.contributor] })],
);

/** Survey points per unit as the institute delivered them (Hanoi's "points per unit"). */
export const surveyPoints = pgTable(
  'survey_points',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    pointsCenti: integer('points_centi').notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode] })],
);

/**
 * The index of every unit per aggregation pass (1, then +1 after each council
 * return). All amounts are integer hundredths; index_centi is the index % × 100.
 */
export const results = pgTable(
  'results',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    pass: integer('pass').notNull(),
    unitCode: text('unit_code').notNull(),
    groupCode: text('group_code').notNull(),
    assessedCenti: integer('assessed_centi').notNull(),
    /** null: the unit has no survey result. */
    surveyCenti: integer('survey_centi'),
    bonusCenti: integer('bonus_centi').notNull(),
    penaltyCenti: integer('penalty_centi').notNull(),
    totalCenti: integer('total_centi').notNull(),
    indexCenti: integer('index_centi').notNull(),
    rank: integer('rank').notNull(),
    classification: text('classification'),
    /** The unit's workflow flags merged with the engine's (domain/scoring/pass.ts PassRowFlag). */
    flags: jsonb('flags').$type<PassRowFlag[]>().notNull().default([]),
    /**
     * The score sheet as it stood when the pass was computed (domain/scoring
     * stored-result.ts); the explanation is rebuilt from it when read. json,
     * not jsonb: it is only ever written whole and read whole, and Postgres
     * took 3 s to turn a pass's 29 MB of sheets into jsonb against 1 s to
     * check and keep them as text (BENCHMARKS.md, P5).
     */
    sheet: json('sheet').$type<FrozenSheet>(),
    /** The full explanation, as passes computed before migration 0008 stored it; null since. */
    explanation: jsonb('explanation').$type<UnitExplanation>(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    published: boolean('published').notNull().default(false),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.pass, table.unitCode] }),
    index('results_rank').on(table.campaignId, table.pass, table.groupCode, table.rank),
    check('results_explained', sql`${table.sheet} is not null or ${table.explanation} is not null`),
  ],
);

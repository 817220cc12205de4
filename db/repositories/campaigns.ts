import { and, asc, desc, eq, getTableColumns, gt, lt, sql } from 'drizzle-orm';
import type { CampaignDefinition, Contributor } from '../../domain/campaign';
import { parseDeadline } from '../../domain/deadlines';
import type { ReadModelEffect } from '../../domain/effects';
import type { CampaignStage } from '../../domain/stages';
import type { Database } from '../connect';
import { dateOf, jsonOf, rowsOf, type RawTimestamp } from '../raw-rows';
import { campaignEvents, campaignUnits, campaigns } from '../schema';
import { users } from '../schema-auth';
import { campaignChains } from '../schema-chain';
import { linkEvents, linkInputOf } from './chain';

export interface EventLogRow {
  id: number;
  unitCode: string | null;
  unitName: string | null;
  actor: string;
  /** The full name of the person who made the step, as it was then; null for the system. */
  actorName: string | null;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  occurredAt: Date;
}

export interface CampaignEventInput {
  campaignId: string;
  unitCode?: string | null;
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  occurredAt: Date;
  idempotencyKey: string;
  /** The read-model rows the change wrote (db/repositories/read-model-targets.ts), for a projected change. */
  writes?: string[] | null;
  /** The change's read-model effects, which verification re-derives the results from. */
  effects?: ReadModelEffect[] | null;
}

/** A council decision's return of one unit, as the unit's page shows it and offers its areas for appraisal again. */
export interface CouncilReturn {
  /** Which of the council's sittings returned it (1 for the first decision). */
  councilRound: number;
  areas: string[];
  reason: string;
  returnedAt: Date;
  /** The returned areas' round-2 appraisals recorded since the return. */
  appraisedSince: string[];
}

/**
 * Appends an event unless one with the same idempotency key exists; returns
 * whether it was new. Callers apply their state change only when it was, inside
 * the same transaction, which makes a retried activity write nothing twice.
 */
export async function appendEvent(tx: Database, event: CampaignEventInput): Promise<boolean> {
  if ((await appendEvents(tx, [event])).size === 0) return false;
  await linkEvents(tx, [linkInputOf(event)]);
  return true;
}

/**
 * appendEvent for many events, in order and in one statement (a batch of 500
 * unit openings took 1 s as one insert each): the idempotency keys that were
 * new. A key given twice is new once: ON CONFLICT DO NOTHING also skips a
 * duplicate within the statement. The new events are not linked yet: the
 * caller links them (db/repositories/chain.ts linkEvents) last in the same
 * transaction.
 */
export async function appendEvents(tx: Database, events: readonly CampaignEventInput[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const column = (value: (event: CampaignEventInput) => string | null) => sql.param(events.map(value));
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  const inserted = rowsOf<{ idempotency_key: string }>(
    await tx.execute(sql`
      insert into ${campaignEvents} (campaign_id, unit_code, actor, actor_name, action, before, after, reason, occurred_at, idempotency_key, writes, effects)
      select e.campaign_id, e.unit_code, e.actor,
        -- The person's full name as it is when the step is recorded ("role:UNIT/username"; none for the system).
        (select ${users.displayName} from ${users} where ${users.username} = substring(e.actor from '/([^/]+)$')),
        e.action, e.before, e.after, e.reason, e.occurred_at, e.idempotency_key, e.writes, e.effects
      from unnest(${column((event) => event.campaignId)}::text[], ${column((event) => event.unitCode ?? null)}::text[],
        ${column((event) => event.actor)}::text[], ${column((event) => event.action)}::text[],
        ${column((event) => json(event.before))}::text[]::jsonb[], ${column((event) => json(event.after))}::text[]::jsonb[],
        ${column((event) => event.reason ?? null)}::text[], ${column((event) => event.occurredAt.toISOString())}::text[]::timestamptz[],
        ${column((event) => event.idempotencyKey)}::text[], ${column((event) => json(event.writes))}::text[]::jsonb[],
        ${column((event) => json(event.effects))}::text[]::jsonb[])
        as e(campaign_id, unit_code, actor, action, before, after, reason, occurred_at, idempotency_key, writes, effects)
      on conflict (idempotency_key) do nothing
      returning idempotency_key`),
  );
  return new Set(inserted.map((row) => row.idempotency_key));
}

/** A timeline deadline ('YYYY-MM-DD' = end of day in Vietnam, or an ISO instant) as a Date. */
export function deadlineToDate(text: string): Date {
  const epochMs = parseDeadline(text);
  if (epochMs === null) throw new RangeError(`Not a deadline: ${JSON.stringify(text)}`);
  return new Date(epochMs);
}

export function createCampaignRepository(db: Database) {
  return {
    /** Inserts the campaign and its units once; a retry after a crash changes nothing. */
    async insertCampaign(input: { campaignId: string; definition: CampaignDefinition; stage: CampaignStage; at: Date }) {
      const { campaignId, definition } = input;
      await db.transaction(async (tx) => {
        const created = await tx
          .insert(campaigns)
          .values({
            id: campaignId,
            year: definition.year,
            nameVi: definition.name_vi,
            stage: input.stage,
            status: 'running',
            definition,
            timeline: definition.timeline,
            createdAt: input.at,
            stageChangedAt: input.at,
          })
          .onConflictDoNothing({ target: campaigns.id })
          .returning({ id: campaigns.id });
        if (created.length === 0) return;
        // Chunked: Postgres caps a statement at 65,535 bind parameters.
        const selfAssessmentDue = deadlineToDate(definition.timeline.self_assessment_due);
        const explanationsDue = deadlineToDate(definition.timeline.explanations_due);
        const rows = definition.units.map((unit) => ({
          campaignId,
          unitCode: unit.code,
          nameVi: unit.name_vi,
          groupCode: unit.group,
          selfAssessmentDue,
          explanationsDue,
        }));
        for (let i = 0; i < rows.length; i += 1000) {
          await tx.insert(campaignUnits).values(rows.slice(i, i + 1000)).onConflictDoNothing();
        }
      });
    },

    /** The campaign's row, with the digest frozen at publication (db/chain.ts resultsDigest) once published. */
    async findCampaign(campaignId: string) {
      const [row] = await db
        .select({ ...getTableColumns(campaigns), verificationDigest: campaignChains.publishedDigest })
        .from(campaigns)
        .leftJoin(campaignChains, eq(campaignChains.campaignId, campaigns.id))
        .where(eq(campaigns.id, campaignId));
      return row ?? null;
    },

    /** The campaign's stage alone (authorization asks whether it is published), without its definition. */
    async findStage(campaignId: string): Promise<CampaignStage | null> {
      const [row] = await db.select({ stage: campaigns.stage }).from(campaigns).where(eq(campaigns.id, campaignId));
      return row?.stage ?? null;
    },

    /** When the event log last recorded `action` for the campaign (e.g. guidance_published), or null. */
    async findLastEventAt(campaignId: string, action: string): Promise<Date | null> {
      const [row] = await db
        .select({ at: campaignEvents.occurredAt })
        .from(campaignEvents)
        .where(and(eq(campaignEvents.campaignId, campaignId), eq(campaignEvents.action, action)))
        .orderBy(desc(campaignEvents.occurredAt))
        .limit(1);
      return row?.at ?? null;
    },

    /** The contributors of the campaign definition (who owns which area), without reading the rest of it; null: no such campaign. */
    async findContributors(campaignId: string): Promise<Contributor[] | null> {
      const [row] = await db
        .select({ contributors: sql<Contributor[] | null>`${campaigns.definition}->'contributors'` })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId));
      return row ? (row.contributors ?? []) : null;
    },

    async findUnit(campaignId: string, unitCode: string) {
      const [row] = await db
        .select()
        .from(campaignUnits)
        .where(and(eq(campaignUnits.campaignId, campaignId), eq(campaignUnits.unitCode, unitCode)));
      return row ?? null;
    },

    /**
     * The council's latest return of this unit (its areas and reason) and the areas
     * appraised again since, from the events: the campaign records the decision
     * before it signals the unit, so every later appraisal event has a larger id.
     */
    async findCouncilReturn(campaignId: string, unitCode: string): Promise<CouncilReturn | null> {
      const [returned] = rowsOf<{ id: string; occurred_at: RawTimestamp; round: number; areas: unknown; reason: string }>(
        await db.execute(sql`
          select e.id, e.occurred_at, (e.after->>'round')::int as round, r.value->'areas' as areas, r.value->>'reason' as reason
          from ${campaignEvents} e, jsonb_array_elements(e.after->'returns') r
          where e.campaign_id = ${campaignId} and e.action = 'council_decision' and r.value->>'unitCode' = ${unitCode}
          order by e.id desc limit 1`),
      );
      if (!returned) return null;
      const appraised = await db
        .selectDistinct({ areaCode: sql<string>`${campaignEvents.after}->>'areaCode'` })
        .from(campaignEvents)
        .where(
          and(
            eq(campaignEvents.campaignId, campaignId),
            eq(campaignEvents.unitCode, unitCode),
            eq(campaignEvents.action, 'area_appraised_round_2'),
            gt(campaignEvents.id, Number(returned.id)),
          ),
        );
      return {
        councilRound: returned.round,
        areas: jsonOf<string[]>(returned.areas),
        reason: returned.reason,
        returnedAt: dateOf(returned.occurred_at),
        appraisedSince: appraised.map((row) => row.areaCode),
      };
    },

    async listCampaigns() {
      return db
        .select({ id: campaigns.id, year: campaigns.year, nameVi: campaigns.nameVi, stage: campaigns.stage, status: campaigns.status, createdAt: campaigns.createdAt })
        .from(campaigns)
        .orderBy(desc(campaigns.year), asc(campaigns.id));
    },

    async listUnits(campaignId: string) {
      return db.select().from(campaignUnits).where(eq(campaignUnits.campaignId, campaignId));
    },

    /**
     * The campaign's events in the order the steps happened: by the workflow's
     * time of each, then, within one instant, one workflow's changes by their
     * sequence number, then as recorded. A change applied late by an operator's
     * retry (a parked change, db/repositories/read-model-parking.ts) thus
     * stands where it happened, not where it was recorded.
     */
    async listEvents(campaignId: string) {
      return db
        .select()
        .from(campaignEvents)
        .where(eq(campaignEvents.campaignId, campaignId))
        .orderBy(asc(campaignEvents.occurredAt), asc(sql`substring(${campaignEvents.idempotencyKey} from '#([0-9]+)$')::int`), asc(campaignEvents.id));
    },

    /** The newest events first, a page at a time (the dashboard's event log), with their units' names. */
    async listEventPage(campaignId: string, page: { unitCode?: string; beforeId?: number; limit: number }): Promise<EventLogRow[]> {
      const conditions = [eq(campaignEvents.campaignId, campaignId)];
      if (page.unitCode) conditions.push(eq(campaignEvents.unitCode, page.unitCode));
      if (page.beforeId !== undefined) conditions.push(lt(campaignEvents.id, page.beforeId));
      return db
        .select({
          id: campaignEvents.id,
          unitCode: campaignEvents.unitCode,
          unitName: campaignUnits.nameVi,
          actor: campaignEvents.actor,
          actorName: campaignEvents.actorName,
          action: campaignEvents.action,
          before: campaignEvents.before,
          after: campaignEvents.after,
          reason: campaignEvents.reason,
          occurredAt: campaignEvents.occurredAt,
        })
        .from(campaignEvents)
        .leftJoin(campaignUnits, and(eq(campaignUnits.campaignId, campaignEvents.campaignId), eq(campaignUnits.unitCode, campaignEvents.unitCode)))
        .where(and(...conditions))
        .orderBy(desc(campaignEvents.id))
        .limit(page.limit);
    },
  };
}

export type CampaignRepository = ReturnType<typeof createCampaignRepository>;

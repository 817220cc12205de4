import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { CampaignDefinition } from '../../domain/campaign';
import type { SurveyAnswer } from '../../domain/survey-answers';
import type { Database } from '../connect';
import { rowsOf } from '../raw-rows';
import { campaigns } from '../schema';
import { surveyAnswers, surveyGroupTallies, surveyImports, surveyQuestionTallies } from '../schema-survey';
import { appendEvent } from './campaigns';

/**
 * Survey answers and their imports. An import runs in one
 * transaction under a per-campaign advisory lock: answers are inserted in
 * batches as the file is read, and a file with any problem rolls back, so it
 * stores nothing. The import tallies its answers once (tallyAnswers), in
 * exact integers; points are computed from the current import's tallies by
 * domain/scoring/survey.ts.
 */

export type SurveyImport = typeof surveyImports.$inferSelect;

/** An answer the database refused as a second answer to the same question about the same unit by the same respondent. */
export interface DuplicateAnswer {
  row: number;
  firstRow: number;
  respondentId: string;
  unitCode: string;
  questionCode: string;
}

export interface RespondentGroupConflict {
  row: number;
  respondentId: string;
  respondentGroup: string;
  firstRow: number;
  firstGroup: string;
}

/** One unit and question of an import: its answers ("no opinion" included), the valid ones and their weights' sum. */
export interface QuestionTally {
  unitCode: string;
  questionCode: string;
  answers: number;
  validCount: number;
  sumWeightHundredths: number;
}

export interface RespondentGroupCount {
  unitCode: string;
  respondentGroup: string;
  validAnswers: number;
  respondents: number;
}

/** What an import's work sees inside its transaction. */
export interface SurveyImportTransaction {
  /** Records the new import (replacing the current one, if any); call once, before inserting answers. */
  begin(input: Pick<SurveyImport, 'id' | 'checksum' | 'format' | 'layout' | 'importedBy' | 'importedAt'>): Promise<void>;
  /** Inserts answers; returns those refused as duplicates (of an earlier row of the same file). */
  insertAnswers(importId: string, answers: readonly SurveyAnswer[]): Promise<DuplicateAnswer[]>;
  /** Rows whose respondent appeared earlier with another respondent group. */
  respondentGroupConflicts(importId: string, limit: number): Promise<{ rows: RespondentGroupConflict[]; total: number }>;
  /** Counts and tallies the stored answers, deletes the replaced import's answers and tallies, logs the event; returns the import. */
  finish(importId: string, fileRows: number): Promise<SurveyImport>;
}

export type SurveyImportOutcome<T> =
  | { kind: 'imported'; import: SurveyImport }
  | { kind: 'unchanged'; import: SurveyImport }
  | { kind: 'frozen' }
  | { kind: 'rejected'; value: T };

/** Column arrays per batch keep a statement at 8 bind parameters however many rows it carries. */
export const ANSWER_BATCH_SIZE = 10_000;

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}

/**
 * Adds up an import's answers once, in its transaction: per unit and question
 * (what points are computed from) and per unit and respondent group (the
 * institute's report). Points asked for later read these rows, not the answers.
 */
async function tallyAnswers(tx: Database, importId: string): Promise<void> {
  await tx.execute(sql`
    insert into ${surveyQuestionTallies} (import_id, unit_code, question_code, answers, valid_count, sum_weight_hundredths)
    select import_id, unit_code, question_code, count(*), count(weight_hundredths), coalesce(sum(weight_hundredths), 0)
    from ${surveyAnswers} where import_id = ${importId}
    group by import_id, unit_code, question_code`);
  await tx.execute(sql`
    insert into ${surveyGroupTallies} (import_id, unit_code, respondent_group, valid_answers, respondents)
    select import_id, unit_code, respondent_group, sum(valid), count(*)
    from (
      -- One row per respondent and unit, hashed: count(distinct) sorted the million answers (0.8 s against 0.5 s).
      select import_id, unit_code, respondent_group, respondent_id, count(weight_hundredths) as valid
      from ${surveyAnswers} where import_id = ${importId}
      group by import_id, unit_code, respondent_group, respondent_id
    ) per_respondent
    group by import_id, unit_code, respondent_group`);
}

export function createSurveyAnswerRepository(db: Database) {
  async function currentImport(tx: Database, campaignId: string): Promise<SurveyImport | null> {
    const [row] = await tx
      .select()
      .from(surveyImports)
      .where(and(eq(surveyImports.campaignId, campaignId), isNull(surveyImports.replacedAt)));
    return row ?? null;
  }

  function transactionApi(tx: Database, campaignId: string): SurveyImportTransaction {
    let replaced: SurveyImport | null = null;
    return {
      async begin(input) {
        replaced = await currentImport(tx, campaignId);
        if (replaced) await tx.update(surveyImports).set({ replacedAt: input.importedAt }).where(eq(surveyImports.id, replaced.id));
        await tx.insert(surveyImports).values({ ...input, campaignId, fileRows: 0, answers: 0, validAnswers: 0, respondents: 0, units: 0 });
      },

      async insertAnswers(importId, answers) {
        if (answers.length === 0) return [];
        const column = <K extends keyof SurveyAnswer>(key: K) => sql.param(answers.map((answer) => answer[key]));
        // ON CONFLICT DO NOTHING also skips a duplicate within the same statement; RETURNING tells which rows went in.
        const inserted = rowsOf<{ row_number: number }>(
          await tx.execute(sql`
            insert into survey_answers (import_id, row_number, respondent_id, respondent_group, unit_code, question_code, option_code, weight_hundredths)
            select ${importId}, * from unnest(${column('row')}::int4[], ${column('respondentId')}::text[], ${column('respondentGroup')}::text[],
              ${column('unitCode')}::text[], ${column('questionCode')}::text[], ${column('optionCode')}::text[], ${column('weightHundredths')}::int2[])
            on conflict do nothing
            returning row_number`),
        );
        if (inserted.length === answers.length) return [];
        const went = new Set(inserted.map((row) => row.row_number));
        const refused = answers.filter((answer) => !went.has(answer.row));
        const first = rowsOf<{ respondent_id: string; unit_code: string; question_code: string; row_number: number }>(
          await tx.execute(sql`
            select a.respondent_id, a.unit_code, a.question_code, a.row_number
            from survey_answers a
            join unnest(${sql.param(refused.map((answer) => answer.respondentId))}::text[], ${sql.param(refused.map((answer) => answer.unitCode))}::text[],
              ${sql.param(refused.map((answer) => answer.questionCode))}::text[]) as d(respondent_id, unit_code, question_code)
              on a.respondent_id = d.respondent_id and a.unit_code = d.unit_code and a.question_code = d.question_code
            where a.import_id = ${importId}`),
        );
        const firstRow = new Map(first.map((row) => [`${row.respondent_id}\u0000${row.unit_code}\u0000${row.question_code}`, row.row_number]));
        return refused.map((answer) => ({
          row: answer.row,
          firstRow: firstRow.get(`${answer.respondentId}\u0000${answer.unitCode}\u0000${answer.questionCode}`) ?? 0,
          respondentId: answer.respondentId,
          unitCode: answer.unitCode,
          questionCode: answer.questionCode,
        }));
      },

      async respondentGroupConflicts(importId, limit) {
        const rows = rowsOf<{ row_number: number; respondent_id: string; respondent_group: string; first_row: number; first_group: string; total: number }>(
          await tx.execute(sql`
            with firsts as (
              select distinct on (respondent_id) respondent_id, respondent_group, row_number
              from survey_answers where import_id = ${importId}
              order by respondent_id, row_number
            ), conflicts as (
              select a.row_number, a.respondent_id, a.respondent_group, f.row_number as first_row, f.respondent_group as first_group
              from survey_answers a join firsts f on f.respondent_id = a.respondent_id
              where a.import_id = ${importId} and a.respondent_group <> f.respondent_group
            )
            select *, (count(*) over ())::int as total from conflicts order by row_number limit ${limit}`),
        );
        return {
          total: rows[0]?.total ?? 0,
          rows: rows.map((row) => ({
            row: row.row_number,
            respondentId: row.respondent_id,
            respondentGroup: row.respondent_group,
            firstRow: row.first_row,
            firstGroup: row.first_group,
          })),
        };
      },

      async finish(importId, fileRows) {
        const [counts] = rowsOf<{ answers: number; valid_answers: number; respondents: number; units: number }>(
          await tx.execute(sql`
            select count(*)::int as answers, count(weight_hundredths)::int as valid_answers,
              count(distinct respondent_id)::int as respondents, count(distinct unit_code)::int as units
            from survey_answers where import_id = ${importId}`),
        );
        await tallyAnswers(tx, importId);
        if (replaced) {
          await tx.delete(surveyAnswers).where(eq(surveyAnswers.importId, replaced.id));
          await tx.delete(surveyQuestionTallies).where(eq(surveyQuestionTallies.importId, replaced.id));
          await tx.delete(surveyGroupTallies).where(eq(surveyGroupTallies.importId, replaced.id));
        }
        const [updated] = await tx
          .update(surveyImports)
          .set({
            fileRows,
            answers: counts?.answers ?? 0,
            validAnswers: counts?.valid_answers ?? 0,
            respondents: counts?.respondents ?? 0,
            units: counts?.units ?? 0,
          })
          .where(eq(surveyImports.id, importId))
          .returning();
        const imported = updated!;
        await appendEvent(tx, {
          campaignId,
          actor: imported.importedBy,
          action: 'survey_answers_imported',
          before: replaced ? { importId: replaced.id, checksum: replaced.checksum, answers: replaced.answers } : null,
          after: { importId, checksum: imported.checksum, format: imported.format, layout: imported.layout, answers: imported.answers, respondents: imported.respondents },
          occurredAt: imported.importedAt,
          idempotencyKey: `survey-import/${importId}`,
        });
        return imported;
      },
    };
  }

  return {
    async findCampaign(campaignId: string): Promise<{ definition: CampaignDefinition; surveyStatus: string } | null> {
      const [row] = await db
        .select({ definition: campaigns.definition, surveyStatus: campaigns.surveyStatus })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId));
      // The definition was validated (campaignDefinitionSchema) before the campaign was started.
      return row ? { definition: row.definition as CampaignDefinition, surveyStatus: row.surveyStatus } : null;
    },

    currentImport: (campaignId: string) => currentImport(db, campaignId),

    async listImports(campaignId: string): Promise<SurveyImport[]> {
      return db.select().from(surveyImports).where(eq(surveyImports.campaignId, campaignId)).orderBy(desc(surveyImports.importedAt));
    },

    /**
     * Runs an import in one transaction, serialised per campaign. Before the
     * work runs, under the lock: answers frozen once the survey results are
     * accepted; the file already current (same checksum) changes nothing. The
     * work returns { commit: false } to roll everything back.
     */
    async importAnswers<T>(
      campaignId: string,
      checksum: string,
      work: (tx: SurveyImportTransaction) => Promise<{ commit: true; importId: string } | { commit: false; value: T }>,
    ): Promise<SurveyImportOutcome<T>> {
      try {
        return await db.transaction(async (transaction) => {
          const tx = transaction as unknown as Database;
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`survey-import:${campaignId}`}))`);
          const [campaign] = await tx.select({ surveyStatus: campaigns.surveyStatus }).from(campaigns).where(eq(campaigns.id, campaignId));
          if (campaign?.surveyStatus === 'accepted') return { kind: 'frozen' } as const;
          const current = await currentImport(tx, campaignId);
          if (current?.checksum === checksum) return { kind: 'unchanged', import: current } as const;
          const outcome = await work(transactionApi(tx, campaignId));
          if (!outcome.commit) throw new Rollback(outcome.value);
          const [imported] = await tx.select().from(surveyImports).where(eq(surveyImports.id, outcome.importId));
          return { kind: 'imported', import: imported! } as const;
        });
      } catch (error) {
        if (error instanceof Rollback) return { kind: 'rejected', value: error.value as T };
        throw error;
      }
    },

    /** What an import's answers add up to per unit and question (the tallies made when it was stored). */
    async questionTallies(importId: string): Promise<QuestionTally[]> {
      const rows = rowsOf<{ unit_code: string; question_code: string; answers: number; valid_count: number; sum_weight_hundredths: number }>(
        await db.execute(sql`
          select unit_code, question_code, answers, valid_count, sum_weight_hundredths
          from ${surveyQuestionTallies} where import_id = ${importId}`),
      );
      return rows.map((row) => ({
        unitCode: row.unit_code,
        questionCode: row.question_code,
        answers: row.answers,
        validCount: row.valid_count,
        sumWeightHundredths: row.sum_weight_hundredths,
      }));
    },

    /** Valid answers and respondents per unit and respondent group. */
    async respondentGroupCounts(importId: string): Promise<RespondentGroupCount[]> {
      const rows = rowsOf<{ unit_code: string; respondent_group: string; valid_answers: number; respondents: number }>(
        await db.execute(sql`
          select unit_code, respondent_group, valid_answers, respondents
          from ${surveyGroupTallies} where import_id = ${importId}`),
      );
      return rows.map((row) => ({ unitCode: row.unit_code, respondentGroup: row.respondent_group, validAnswers: row.valid_answers, respondents: row.respondents }));
    },
  };
}

export type SurveyAnswerRepository = ReturnType<typeof createSurveyAnswerRepository>;

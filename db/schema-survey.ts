import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { campaigns } from './schema';

/**
 * Sociological survey answers. The institute delivers its answers as
 * a file; each accepted file is one row of survey_imports and its answers are
 * the rows of survey_answers. A campaign has at most one current import (the
 * latest file replaces the earlier one until the survey results are accepted);
 * replaced imports stay as history without their answers.
 */

export const surveyImports = pgTable(
  'survey_imports',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** sha256 of the file's bytes, hex: the same file imported again changes nothing. */
    checksum: text('checksum').notNull(),
    format: text('format').$type<'csv' | 'xlsx'>().notNull(),
    layout: text('layout').$type<'long' | 'wide'>().notNull(),
    /** Data rows read from the file (header and blank rows not counted). */
    fileRows: integer('file_rows').notNull(),
    /** Answers stored (one per respondent × unit × question), "no opinion" included. */
    answers: integer('answers').notNull(),
    /** Answers with a weight, i.e. not "no opinion". */
    validAnswers: integer('valid_answers').notNull(),
    respondents: integer('respondents').notNull(),
    units: integer('units').notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
    /** Set when a later file replaced this one; its answers are then deleted. */
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('survey_imports_current').on(table.campaignId).where(sql`${table.replacedAt} is null`),
    index('survey_imports_campaign').on(table.campaignId, table.importedAt),
    check('survey_imports_format', sql`${table.format} in ('csv', 'xlsx')`),
    check('survey_imports_layout', sql`${table.layout} in ('long', 'wide')`),
  ],
);

/**
 * One answer: a respondent's option for one question about one unit. The
 * weight is copied from the campaign's framework at import, in hundredths
 * (A = 100, B = 60, …); null for an option without weight ("no opinion"),
 * which aggregation leaves out. row_number is the file row, for error reports.
 */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    importId: text('import_id')
      .notNull()
      .references(() => surveyImports.id, { onDelete: 'cascade' }),
    respondentId: text('respondent_id').notNull(),
    respondentGroup: text('respondent_group').notNull(),
    unitCode: text('unit_code').notNull(),
    questionCode: text('question_code').notNull(),
    optionCode: text('option_code').notNull(),
    weightHundredths: smallint('weight_hundredths'),
    rowNumber: integer('row_number').notNull(),
  },
  (table) => [
    // One answer per respondent, unit and question; a second one in a file is an error (reported with its row).
    primaryKey({ columns: [table.importId, table.respondentId, table.unitCode, table.questionCode] }),
    check('survey_answers_weight', sql`${table.weightHundredths} is null or ${table.weightHundredths} between 0 and 100`),
  ],
);

/**
 * What an import's answers add up to per unit and question, tallied once in
 * the import's transaction: points are computed from these rows, not from the
 * up to a million answers each time they are asked for (BENCHMARKS.md, P5). An
 * import's answers never change after it commits, so neither do its tallies.
 */
export const surveyQuestionTallies = pgTable(
  'survey_question_tallies',
  {
    importId: text('import_id')
      .notNull()
      .references(() => surveyImports.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    questionCode: text('question_code').notNull(),
    /** Answers stored, "no opinion" included. */
    answers: integer('answers').notNull(),
    /** Answers with a weight. */
    validCount: integer('valid_count').notNull(),
    sumWeightHundredths: integer('sum_weight_hundredths').notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.unitCode, table.questionCode] })],
);

/** Respondents and their valid answers per unit and respondent group, tallied with the question tallies. */
export const surveyGroupTallies = pgTable(
  'survey_group_tallies',
  {
    importId: text('import_id')
      .notNull()
      .references(() => surveyImports.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    respondentGroup: text('respondent_group').notNull(),
    validAnswers: integer('valid_answers').notNull(),
    respondents: integer('respondents').notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.unitCode, table.respondentGroup] })],
);

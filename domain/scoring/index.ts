export {
  CENTI_PER_UNIT,
  centiToNumber,
  divideRoundHalfUp,
  formatCentiVi,
  formatPercentVi,
  parseCenti,
  sumCenti,
  toCenti,
} from './points';
export type { Centi, DecimalParseError, Parsed } from './points';
export {
  finalMark,
  SCORE_COLUMN_LABEL_VI,
  SCORE_COLUMNS,
  ScoreInputSchema,
  ScoreMarkSchema,
  SubcriterionScoreSchema,
  UnitScoreSheetSchema,
} from './score-entry';
export type { ScoreColumn, ScoreInput, ScoreInputKind, ScoreMark, SubcriterionScore, UnitScoreSheet } from './score-entry';
export { createScoreMark, describeInputVi, describeRuleVi, evaluateRule, expectedInputKind } from './rules';
export type { RuleError, RuleErrorCode } from './rules';
export { checkScoreSheet, ROLLUP_COLUMNS, rollUpAssessed } from './rollup';
export type {
  AreaRollup,
  AssessedRollup,
  ColumnPoints,
  CriterionRollup,
  RollupColumn,
  ScoreSheetError,
  ScoreSheetErrorCode,
  SubcriterionLine,
} from './rollup';
export { aggregateAnswerCounts, computeSurveyPoints } from './survey';
export type {
  SurveyBreakdown,
  SurveyError,
  SurveyErrorCode,
  SurveyQuestionAggregate,
  SurveyQuestionLine,
  SurveyResult,
} from './survey';
export { combineComponents, groupLimits, indexPercent } from './combine';
export type { CombinedTotals, Components, GroupLimits, ResultFlag } from './combine';
export { classify, rankGroup } from './ranking';
export type { RankedEntry, RankingEntry, RankingOptions } from './ranking';
export { computeUnitResult, computeUnitTotals, rankUnitResults, unknownGroup } from './unit-result';
export type {
  AssessedSummary,
  RankedUnitResult,
  UnitRef,
  UnitResult,
  UnitResultError,
  UnitResultErrorCode,
  UnitResultInput,
  UnitTotals,
  UnitTotalsInput,
} from './unit-result';
export { explainUnit } from './explain';
export { GROUP_AVERAGE_LABEL_VI, groupAverageIndexCenti } from './group-average';
export type { MarkExplanation, NodeExplanation, SubcriterionExplanation, UnitExplanation } from './explain';
export { explainStoredResult, freezeSheet, thawSheet } from './stored-result';
export type { FrozenMark, FrozenSheet, StoredResult } from './stored-result';
export { computeResultRows } from './pass';
export type { AggregationInput, PassRow, PassRowFlag, UnitAggregationError } from './pass';
export { buildUnitSheet } from './unit-sheet';
export type { StoredMark, UnitSheet } from './unit-sheet';
export {
  GROUP_CHANGED_VI,
  indexChangeVi,
  NEW_UNIT_VI,
  previousPlaces,
  previousYearCaptionVi,
  rankChangeVi,
  YEAR_CHANGE_HEADERS_VI,
  yearChange,
  yearChangeTextsVi,
} from './year-change';
export type { PreviousPlace, YearChange } from './year-change';

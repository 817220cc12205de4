export {
  FrameworkSchema,
  FrameworkShapeSchema,
  RuleSchema,
  RULE_KINDS,
  ScoringSettingsSchema,
  isRuleKind,
  resolveScoringSettings,
} from './schema';
export type {
  AnswerOption,
  Area,
  ClassificationBand,
  Criterion,
  Framework,
  FrameworkGroup,
  FrameworkShape,
  ResolvedScoringSettings,
  Rule,
  RuleKind,
  ScoringSettings,
  Subcriterion,
  Survey,
  SurveyQuestion,
  Tier,
} from './schema';
export { validateFramework, checkFrameworkSemantics } from './validate';
export type { FrameworkValidation } from './validate';
export { formatJsonPath, shapeIssuesFromZod } from './issues';
export type { FrameworkIssue, FrameworkIssueCode, JsonPath } from './issues';
export { findSubcriterion, listSubcriteria } from './tree';
export type { SubcriterionLocation } from './tree';

import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes on every campaign-related workflow, so operators can
 * find workflows with the Temporal UI or CLI, e.g.
 *   temporal workflow list --query 'CampaignId="par-2019-hn" AND UnitStatus="overdue"'
 * Dashboards read the Postgres read model instead (SQL visibility has no ORDER BY/LIMIT).
 */
export const CampaignIdKey = defineSearchAttributeKey('CampaignId', 'KEYWORD');
export const CampaignYearKey = defineSearchAttributeKey('CampaignYear', 'INT');
export const StageKey = defineSearchAttributeKey('Stage', 'KEYWORD');
export const UnitCodeKey = defineSearchAttributeKey('UnitCode', 'KEYWORD');
export const UnitGroupKey = defineSearchAttributeKey('UnitGroup', 'KEYWORD');
export const UnitStatusKey = defineSearchAttributeKey('UnitStatus', 'KEYWORD');

export const ALL_SEARCH_ATTRIBUTE_KEYS = [
  CampaignIdKey,
  CampaignYearKey,
  StageKey,
  UnitCodeKey,
  UnitGroupKey,
  UnitStatusKey,
] as const;

// The rows and filters the two edges (api/ JSON, web/ HTML) read and render, named here so
// that neither edge reaches into db/: the edges depend on the application layer, and only
// the application layer (and the composition root) knows the repositories.
import type { AccountFields as DbAccountFields, AccountRow as DbAccountRow, AuditRow as DbAuditRow } from '../db/repositories/accounts';
import type { CouncilReturn as DbCouncilReturn, EventLogRow as DbEventLogRow } from '../db/repositories/campaigns';
import type { ContactRow as DbContactRow } from '../db/repositories/contacts';
import type { DraftRow as DbDraftRow } from '../db/repositories/drafts';
import type { EvidenceRow as DbEvidenceRow } from '../db/repositories/evidence';
import type { StoredFramework as DbStoredFramework } from '../db/repositories/frameworks';
import type { DeliveryRow as DbDeliveryRow, NotificationRow as DbNotificationRow, ReminderLog as DbReminderLog } from '../db/repositories/notifications';
import type { OrganisationAuditRow as DbOrganisationAuditRow, OrganisationRow as DbOrganisationRow } from '../db/repositories/organisations';
import type { ProgressFilters as DbProgressFilters } from '../db/repositories/progress';
import type { ScoreCell as DbScoreCell, UnitScoreLine as DbUnitScoreLine } from '../db/repositories/read-model';

export type AccountFields = DbAccountFields;
export type AccountRow = DbAccountRow;
export type AuditRow = DbAuditRow;
export type CouncilReturn = DbCouncilReturn;
export type EventLogRow = DbEventLogRow;
export type ContactRow = DbContactRow;
export type DraftRow = DbDraftRow;
export type EvidenceRow = DbEvidenceRow;
export type StoredFramework = DbStoredFramework;
export type DeliveryRow = DbDeliveryRow;
export type NotificationRow = DbNotificationRow;
export type ReminderLog = DbReminderLog;
export type OrganisationAuditRow = DbOrganisationAuditRow;
export type OrganisationRow = DbOrganisationRow;
export type ProgressFilters = DbProgressFilters;
export type ScoreCell = DbScoreCell;
export type UnitScoreLine = DbUnitScoreLine;

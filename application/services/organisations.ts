import type { Actor } from '../../domain/actors';
import { issue } from '../../domain/issues';
import type { Organisation, OrganisationKind } from '../../domain/organisations';
import type { OrganisationAuditRow, OrganisationChanges, OrganisationRepository, OrganisationRow } from '../../db/repositories/organisations';
import { authorize } from '../auth/authorize';
import { ConflictError, NotFoundError } from '../errors';

/**
 * The organisation directory: staff read it, Sở Nội vụ's admin adds and changes
 * organisations and disables those that stop taking part (never deleted:
 * accounts and past campaigns keep naming them). Every change is audited with
 * its actor (db/repositories/organisations.ts).
 */

export interface OrganisationServiceDeps {
  organisations: OrganisationRepository;
  now: () => number;
}

function notFound(code: string): NotFoundError {
  return new NotFoundError('organisation_not_found', `Không có cơ quan mã ${code} trong danh mục`, `No organisation ${code} in the directory`);
}

function codeTaken(code: string): ConflictError {
  return new ConflictError('organisation_exists', `Mã cơ quan ${code} đã có trong danh mục (code)`, `Organisation code ${code} is already in the directory (code)`, [
    issue(['body', 'code'], 'organisation_exists', `Mã cơ quan ${code} đã có`, `Organisation code ${code} is taken`),
  ]);
}

export function createOrganisationService({ organisations, now }: OrganisationServiceDeps) {
  return {
    async list(actor: Actor, filter: { kind?: OrganisationKind; includeDisabled?: boolean }): Promise<OrganisationRow[]> {
      authorize(actor, 'organisations.read');
      return organisations.list(filter);
    },

    async create(actor: Actor, input: Omit<Organisation, 'disabled'>): Promise<OrganisationRow> {
      authorize(actor, 'organisations.manage');
      const created = await organisations.create(actor.id, input, new Date(now()));
      if (!created) throw codeTaken(input.code);
      return created;
    },

    async update(actor: Actor, code: string, changes: OrganisationChanges): Promise<OrganisationRow> {
      authorize(actor, 'organisations.manage');
      const updated = await organisations.update(actor.id, code, changes, new Date(now()));
      if (!updated) throw notFound(code);
      return updated;
    },

    async auditLog(actor: Actor, filter: { code?: string; limit: number }): Promise<OrganisationAuditRow[]> {
      authorize(actor, 'organisations.manage');
      return organisations.auditLog(filter);
    },
  };
}

export type OrganisationService = ReturnType<typeof createOrganisationService>;

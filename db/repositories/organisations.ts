import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Organisation, OrganisationKind } from '../../domain/organisations';
import type { Database } from '../connect';
import { organisationAudit, organisations } from '../schema-organisations';

/**
 * The organisation directory (db/schema-organisations.ts). Every change writes
 * its organisation_audit row in the same transaction, with the organisation
 * before and after; a change that changes nothing writes nothing.
 */

export interface OrganisationRow extends Organisation {
  createdAt: Date;
  updatedAt: Date;
}

/** An organisation to add or bring up to date; `disabled` absent leaves the flag as it is (false for a new one). */
export type OrganisationInput = Omit<Organisation, 'disabled'> & { disabled?: boolean };

export type OrganisationChanges = Partial<Pick<Organisation, 'nameVi' | 'kind' | 'disabled'>>;

export type OrganisationAuditAction = 'created' | 'updated' | 'disabled' | 'enabled';

export interface OrganisationAuditRow {
  id: number;
  at: Date;
  actor: string;
  action: OrganisationAuditAction;
  code: string;
  before: Organisation | null;
  after: Organisation | null;
}

/** What an upsert of many did: the codes added and changed; the rest were already as given. */
export interface OrganisationUpsert {
  created: string[];
  updated: string[];
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const columns = {
  code: organisations.code,
  nameVi: organisations.nameVi,
  kind: organisations.kind,
  disabled: organisations.disabled,
  createdAt: organisations.createdAt,
  updatedAt: organisations.updatedAt,
};

const collator = new Intl.Collator('vi');

const fieldsOf = (row: Organisation): Organisation => ({ code: row.code, nameVi: row.nameVi, kind: row.kind, disabled: row.disabled });

function actionOf(before: Organisation, after: Organisation): OrganisationAuditAction {
  if (before.disabled !== after.disabled) return after.disabled ? 'disabled' : 'enabled';
  return 'updated';
}

const sameFields = (a: Organisation, b: Organisation) => a.nameVi === b.nameVi && a.kind === b.kind && a.disabled === b.disabled;

async function audit(tx: Tx, actor: string, action: OrganisationAuditAction, code: string, before: Organisation | null, after: Organisation | null) {
  await tx.insert(organisationAudit).values({ actor, action, code, before: before ? fieldsOf(before) : null, after: after ? fieldsOf(after) : null });
}

async function findIn(tx: Tx | Database, code: string, lock: boolean): Promise<OrganisationRow | null> {
  const query = tx.select(columns).from(organisations).where(eq(organisations.code, code));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

/** Changes one organisation inside the caller's transaction; null when there is none with the code. */
async function updateIn(tx: Tx, actor: string, code: string, changes: OrganisationChanges, at: Date): Promise<OrganisationRow | null> {
  const before = await findIn(tx, code, true);
  if (!before) return null;
  const wanted = { ...before, ...changes };
  if (sameFields(before, wanted)) return before;
  const [updated] = await tx.update(organisations).set({ ...changes, updatedAt: at }).where(eq(organisations.code, code)).returning(columns);
  const after = updated!;
  await audit(tx, actor, actionOf(before, after), code, before, after);
  return after;
}

/**
 * Adds the organisations that are new and updates those that differ, inside the caller's transaction
 * (a workbook import stores everything or nothing). The same list twice changes nothing the second time.
 * An organisation left out of the list is left as it is: never disabled silently.
 */
export async function upsertOrganisations(tx: Tx, actor: string, rows: readonly OrganisationInput[], at: Date): Promise<OrganisationUpsert> {
  const result: OrganisationUpsert = { created: [], updated: [] };
  if (rows.length === 0) return result;
  const existing = new Map(
    (await tx.select(columns).from(organisations).where(inArray(organisations.code, rows.map((row) => row.code))).for('update')).map((row) => [row.code, row]),
  );
  for (const row of rows) {
    const before = existing.get(row.code);
    if (!before) {
      const [inserted] = await tx.insert(organisations).values({ code: row.code, nameVi: row.nameVi, kind: row.kind, disabled: row.disabled ?? false, createdAt: at, updatedAt: at }).returning(columns);
      await audit(tx, actor, 'created', row.code, null, inserted!);
      result.created.push(row.code);
    } else if (!sameFields(before, { ...before, ...row, disabled: row.disabled ?? before.disabled })) {
      await updateIn(tx, actor, row.code, { nameVi: row.nameVi, kind: row.kind, ...(row.disabled !== undefined ? { disabled: row.disabled } : {}) }, at);
      result.updated.push(row.code);
    }
  }
  return result;
}

export function createOrganisationRepository(db: Database) {
  return {
    /** The directory in Vietnamese order of names; disabled ones only when asked. */
    async list(filter: { kind?: OrganisationKind; includeDisabled?: boolean } = {}): Promise<OrganisationRow[]> {
      const where: SQL[] = [];
      if (filter.kind) where.push(eq(organisations.kind, filter.kind));
      if (!filter.includeDisabled) where.push(eq(organisations.disabled, false));
      const rows = (await db.select(columns).from(organisations).where(and(...where)));
      return rows.sort((a, b) => collator.compare(a.nameVi, b.nameVi) || a.code.localeCompare(b.code));
    },

    async find(code: string): Promise<OrganisationRow | null> {
      return findIn(db, code, false);
    },

    /** Which of these codes name an organisation that is not disabled (a campaign's contributors, an account's organisation). */
    async activeCodes(codes: readonly string[]): Promise<Set<string>> {
      if (codes.length === 0) return new Set();
      const rows = await db
        .select({ code: organisations.code })
        .from(organisations)
        .where(and(inArray(organisations.code, [...new Set(codes)]), eq(organisations.disabled, false)));
      return new Set(rows.map((row) => row.code));
    },

    /** Inserts the organisation; null when the code is taken. */
    async create(actor: string, organisation: Omit<Organisation, 'disabled'>, at: Date): Promise<OrganisationRow | null> {
      return db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(organisations)
          .values({ ...organisation, createdAt: at, updatedAt: at })
          .onConflictDoNothing({ target: organisations.code })
          .returning(columns);
        if (!inserted) return null;
        await audit(tx, actor, 'created', inserted.code, null, inserted);
        return inserted;
      });
    },

    /** Changes the name, kind or disabled flag; null when there is no such organisation. */
    async update(actor: string, code: string, changes: OrganisationChanges, at: Date): Promise<OrganisationRow | null> {
      return db.transaction((tx) => updateIn(tx, actor, code, changes, at));
    },

    /** Adds and updates many in one transaction (upsertOrganisations). */
    async upsert(actor: string, rows: readonly OrganisationInput[], at: Date): Promise<OrganisationUpsert> {
      return db.transaction((tx) => upsertOrganisations(tx, actor, rows, at));
    },

    async auditLog(filter: { code?: string; limit: number }): Promise<OrganisationAuditRow[]> {
      const rows = await db
        .select()
        .from(organisationAudit)
        .where(filter.code ? eq(organisationAudit.code, filter.code) : undefined)
        .orderBy(desc(organisationAudit.id))
        .limit(filter.limit);
      return rows.map((row) => ({
        ...row,
        action: row.action as OrganisationAuditAction,
        before: row.before as Organisation | null,
        after: row.after as Organisation | null,
      }));
    },
  };
}

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;

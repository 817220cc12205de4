import { eq, sql } from 'drizzle-orm';
import type { AccountRow as SheetAccount, OnboardingPlan, OnboardingState } from '../../domain/onboarding';
import type { Database } from '../connect';
import { accountAudit } from '../schema-accounts';
import { users } from '../schema-auth';
import { sessionCutoffs } from '../schema-sessions';
import { provinceUnits, unitGroups } from '../schema-units';
import { publicFields, type AccountFields } from './accounts';
import { upsertOrganisations } from './organisations';
import { organisations } from '../schema-organisations';

/**
 * What the onboarding import reads and writes (application/services/onboarding.ts):
 * the organisation directory (through its own upsert, audited), the
 * province's unit groups and units, and the accounts with their audit rows. One import is one transaction, serialised with any other import by an
 * advisory lock, so two imports of the same workbook at once still create
 * each account once.
 */

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A new account's one-time password, already hashed (application/auth/one-time.ts). */
export interface PreparedCredential {
  hash: string;
  expiresAt: Date;
}

/** Any constant: every import takes the same lock. */
const IMPORT_LOCK = 2_026_0626;

const accountFields = (row: SheetAccount): Omit<AccountFields, 'active'> => ({
  username: row.username,
  displayName: row.full_name,
  email: row.email,
  role: row.role,
  unitCode: row.unit_code,
  organisationCode: row.organisation_code,
});

async function loadState(tx: Tx): Promise<OnboardingState> {
  const groups = await tx.select().from(unitGroups);
  const units = await tx.select().from(provinceUnits);
  const stored = await tx.select().from(organisations);
  const accounts = await tx
    .select({
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      unitCode: users.unitCode,
      organisationCode: users.organisationCode,
      role: users.role,
      active: users.active,
    })
    .from(users);
  return {
    groups: new Map(groups.map((group) => [group.code, group.nameVi])),
    units: new Map(units.map((unit) => [unit.code, { name_vi: unit.nameVi, group_code: unit.groupCode }])),
    organisations: new Map(stored.map((row) => [row.code, { name_vi: row.nameVi, kind: row.kind, disabled: row.disabled }])),
    accounts: new Map(
      accounts.map((account) => [
        account.username,
        {
          full_name: account.displayName,
          email: account.email,
          unit_code: account.unitCode,
          organisation_code: account.organisationCode,
          role: account.role,
          active: account.active,
        },
      ]),
    ),
    emailOwners: new Map(accounts.filter((account) => account.email !== null).map((account) => [account.email!.toLowerCase(), account.username])),
  };
}

async function applyUnits(tx: Tx, plan: OnboardingPlan, at: Date) {
  for (const group of plan.groups.create) await tx.insert(unitGroups).values({ code: group.code, nameVi: group.name_vi, updatedAt: at });
  for (const group of plan.groups.update) await tx.update(unitGroups).set({ nameVi: group.name_vi, updatedAt: at }).where(eq(unitGroups.code, group.code));
  if (plan.units.create.length > 0) {
    await tx.insert(provinceUnits).values(plan.units.create.map((unit) => ({ code: unit.code, nameVi: unit.name_vi, groupCode: unit.group_code, createdAt: at, updatedAt: at })));
  }
  for (const unit of plan.units.update) {
    await tx.update(provinceUnits).set({ nameVi: unit.name_vi, groupCode: unit.group_code, updatedAt: at }).where(eq(provinceUnits.code, unit.code));
  }
}

async function applyAccounts(tx: Tx, actor: string, plan: OnboardingPlan, credentials: ReadonlyMap<string, PreparedCredential>, at: Date) {
  const created = plan.accounts.create.map((row) => {
    const credential = credentials.get(row.username);
    if (!credential) throw new Error(`no one-time password prepared for ${row.username}`);
    return { ...accountFields(row), passwordHash: credential.hash, oneTimeExpiresAt: credential.expiresAt, createdAt: at, updatedAt: at };
  });
  if (created.length > 0) {
    await tx.insert(users).values(created);
    await tx.insert(accountAudit).values(created.map((row) => ({ at, actor, action: 'created', username: row.username, before: null, after: publicFields({ ...row, active: true }) })));
  }
  for (const row of plan.accounts.update) {
    const [before] = await tx.select().from(users).where(eq(users.username, row.username)).for('update');
    const fields = accountFields(row);
    await tx.update(users).set({ ...fields, updatedAt: at }).where(eq(users.username, row.username));
    // A new role or unit changes what the account's tokens say: they end, as the accounts API's change does.
    if (before!.role !== fields.role || before!.unitCode !== fields.unitCode || before!.organisationCode !== fields.organisationCode) {
      await tx.insert(sessionCutoffs).values({ username: row.username, notBefore: at }).onConflictDoUpdate({ target: sessionCutoffs.username, set: { notBefore: at } });
    }
    const beforeFields = publicFields(before!);
    await tx.insert(accountAudit).values({ at, actor, action: 'updated', username: row.username, before: beforeFields, after: publicFields({ ...fields, active: before!.active }) });
  }
}

export function createOnboardingRepository(db: Database) {
  return {
    /**
     * Runs `work` in one transaction that holds the import lock: it reads the state, plans, and
     * applies the plan; an exception rolls everything back.
     */
    async inImport<T>(work: (session: { state: OnboardingState; apply: (actor: string, plan: OnboardingPlan, credentials: ReadonlyMap<string, PreparedCredential>, at: Date) => Promise<void> }) => Promise<T>): Promise<T> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
        const state = await loadState(tx);
        return work({
          state,
          apply: async (actor, plan, credentials, at) => {
            // Organisations and units first: accounts name them.
            const changed = [...plan.organisations.create, ...plan.organisations.update];
            await upsertOrganisations(tx, actor, changed.map((row) => ({ code: row.code, nameVi: row.name_vi, kind: row.kind })), at);
            await applyUnits(tx, plan, at);
            await applyAccounts(tx, actor, plan, credentials, at);
          },
        });
      });
    },

    /** The state outside any import, to plan ahead (hash the new accounts' passwords) before the transaction. */
    async state(): Promise<OnboardingState> {
      return db.transaction((tx) => loadState(tx));
    },

    async listUnits(filter: { groupCode?: string }) {
      const rows = await db
        .select({ code: provinceUnits.code, nameVi: provinceUnits.nameVi, groupCode: provinceUnits.groupCode, groupNameVi: unitGroups.nameVi })
        .from(provinceUnits)
        .innerJoin(unitGroups, eq(unitGroups.code, provinceUnits.groupCode))
        .where(filter.groupCode ? eq(provinceUnits.groupCode, filter.groupCode) : undefined)
        .orderBy(provinceUnits.groupCode, provinceUnits.code);
      return rows;
    },
  };
}

export type OnboardingRepository = ReturnType<typeof createOnboardingRepository>;

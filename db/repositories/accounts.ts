import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../domain/actors';
import type { Database } from '../connect';
import { campaignUnits, campaigns } from '../schema';
import { accountAudit } from '../schema-accounts';
import { users } from '../schema-auth';
import { sessionCutoffs } from '../schema-sessions';
import { provinceUnits } from '../schema-units';
import type { AuditAction } from '../../domain/accounts';

/**
 * Accounts as the admin manages them (application/services/accounts.ts). Every change
 * writes its account_audit row in the same transaction, with the account's
 * public fields before and after: never a password or its hash.
 */

/** What the audit log and the accounts API show of an account. */
export interface AccountFields {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  unitCode: string | null;
  /** The organisation of the directory the account belongs to instead of a unit (db/schema-organisations.ts). */
  organisationCode: string | null;
  active: boolean;
}

export interface AccountRow extends AccountFields {
  lockedUntil: Date | null;
  /** Set while the account still has a one-time password (new or reset) that has not been replaced. */
  oneTimeExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: AuditAction;
  username: string;
  before: AccountFields | null;
  after: AccountFields | null;
}


export type AccountChanges = Partial<Pick<AccountFields, 'displayName' | 'email' | 'role' | 'unitCode' | 'organisationCode'>>;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const columns = {
  username: users.username,
  displayName: users.displayName,
  email: users.email,
  role: users.role,
  unitCode: users.unitCode,
  organisationCode: users.organisationCode,
  active: users.active,
  lockedUntil: users.lockedUntil,
  oneTimeExpiresAt: users.oneTimeExpiresAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export function publicFields(row: AccountFields): AccountFields {
  return {
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    role: row.role,
    unitCode: row.unitCode,
    // Audit rows written before organisations had no such field.
    organisationCode: row.organisationCode ?? null,
    active: row.active,
  };
}

async function findIn(tx: Tx | Database, username: string): Promise<AccountRow | null> {
  const [row] = await tx.select(columns).from(users).where(eq(users.username, username)).for('update');
  return row ?? null;
}

async function audit(tx: Tx, actor: string, action: AuditAction, username: string, before: AccountFields | null, after: AccountFields | null) {
  await tx.insert(accountAudit).values({
    actor,
    action,
    username,
    before: before ? publicFields(before) : null,
    after: after ? publicFields(after) : null,
  });
}

/** Every token the user held until `at` is refused from now on (db/schema-sessions.ts). */
async function cutOff(tx: Tx, username: string, at: Date) {
  await tx.insert(sessionCutoffs).values({ username, notBefore: at }).onConflictDoUpdate({ target: sessionCutoffs.username, set: { notBefore: at } });
}

/**
 * `clock`: read once the account's row is locked, so a change's cutoff falls after every login that
 * read the row before it (application/auth/service.ts dates a login's token from before its read).
 */
export function createAccountRepository(db: Database, clock: () => number = Date.now) {
  /** The instant of a change: not before `at`, and not before the row was locked. */
  const stampAfterLock = (at: Date) => new Date(Math.max(at.getTime(), clock()));

  return {
    async list(filter: { unitCode?: string; organisationCode?: string; role?: Role }): Promise<AccountRow[]> {
      const where: SQL[] = [];
      if (filter.unitCode) where.push(eq(users.unitCode, filter.unitCode));
      if (filter.organisationCode) where.push(eq(users.organisationCode, filter.organisationCode));
      if (filter.role) where.push(eq(users.role, filter.role));
      const rows = await db.select(columns).from(users).where(and(...where)).orderBy(users.unitCode, users.organisationCode, users.username);
      return rows;
    },

    /**
     * The units an account may belong to: the province's imported units (db/schema-units.ts) by their
     * names there, and the units the campaigns name that were never imported, each by the name its
     * latest campaign gives it.
     */
    async knownUnits(): Promise<{ code: string; nameVi: string }[]> {
      const [imported, named] = await Promise.all([
        db.select({ code: provinceUnits.code, nameVi: provinceUnits.nameVi }).from(provinceUnits),
        db
          .selectDistinctOn([campaignUnits.unitCode], { code: campaignUnits.unitCode, nameVi: campaignUnits.nameVi })
          .from(campaignUnits)
          .innerJoin(campaigns, eq(campaigns.id, campaignUnits.campaignId))
          .orderBy(campaignUnits.unitCode, desc(campaigns.createdAt)),
      ]);
      const byCode = new Map(named.map((unit) => [unit.code, unit]));
      for (const unit of imported) byCode.set(unit.code, unit);
      return [...byCode.values()];
    },

    async find(username: string): Promise<AccountRow | null> {
      return findIn(db, username);
    },

    /** Whose account uses this e-mail (case-insensitive), if any. */
    async usernameWithEmail(email: string): Promise<string | null> {
      const [row] = await db.select({ username: users.username }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
      return row?.username ?? null;
    },

    /** Inserts the account with its (hashed, one-time) password; false when the username is taken. */
    async create(actor: string, account: Omit<AccountFields, 'active'>, passwordHash: string, oneTimeExpiresAt: Date): Promise<AccountRow | null> {
      return db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(users)
          .values({ ...account, passwordHash, oneTimeExpiresAt })
          .onConflictDoNothing({ target: users.username })
          .returning(columns);
        if (!inserted) return null;
        await audit(tx, actor, 'created', inserted.username, null, inserted);
        return inserted;
      });
    },

    async update(actor: string, username: string, changes: AccountChanges, at: Date): Promise<AccountRow | null> {
      return db.transaction(async (tx) => {
        const before = await findIn(tx, username);
        if (!before) return null;
        at = stampAfterLock(at);
        const [updated] = await tx.update(users).set({ ...changes, updatedAt: at }).where(eq(users.username, username)).returning(columns);
        const after = updated!;
        // A new role, unit or organisation changes what the account's tokens say: they end, and the person logs in again.
        if (after.role !== before.role || after.unitCode !== before.unitCode || after.organisationCode !== before.organisationCode) await cutOff(tx, username, at);
        await audit(tx, actor, 'updated', username, before, after);
        return after;
      });
    },

    /** Disabling ends every token the account holds; enabling does not bring them back. */
    async setActive(actor: string, username: string, active: boolean, at: Date): Promise<AccountRow | null> {
      return db.transaction(async (tx) => {
        const before = await findIn(tx, username);
        if (!before) return null;
        at = stampAfterLock(at);
        const [updated] = await tx.update(users).set({ active, updatedAt: at }).where(eq(users.username, username)).returning(columns);
        if (!active) await cutOff(tx, username, at);
        const after = updated!;
        await audit(tx, actor, active ? 'enabled' : 'disabled', username, before, after);
        return after;
      });
    },

    /**
     * A new password: a one-time one with its expiry (a reset) or the user's own (null). Every token
     * the user held until the change (the answer's `updatedAt`) ends; the lock and the failures are forgotten.
     */
    async setPassword(actor: string, username: string, passwordHash: string, oneTimeExpiresAt: Date | null, at: Date): Promise<AccountRow | null> {
      return db.transaction(async (tx) => {
        const before = await findIn(tx, username);
        if (!before) return null;
        at = stampAfterLock(at);
        const [updated] = await tx
          .update(users)
          .set({ passwordHash, oneTimeExpiresAt, oneTimeUsedAt: null, failedLogins: 0, lockedUntil: null, updatedAt: at })
          .where(eq(users.username, username))
          .returning(columns);
        await cutOff(tx, username, at);
        const after = updated!;
        await audit(tx, actor, oneTimeExpiresAt ? 'password_reset' : 'password_changed', username, before, after);
        return after;
      });
    },

    async auditLog(filter: { username?: string; limit: number }): Promise<AuditRow[]> {
      const rows = await db
        .select()
        .from(accountAudit)
        .where(filter.username ? eq(accountAudit.username, filter.username) : undefined)
        .orderBy(desc(accountAudit.id))
        .limit(filter.limit);
      return rows.map((row) => ({ ...row, action: row.action as AuditAction, before: row.before as AccountFields | null, after: row.after as AccountFields | null }));
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { lockDurationMs } from '../../domain/lockout';
import type { Role } from '../../domain/actors';
import type { Database } from '../connect';
import { users } from '../schema-auth';
import { sessionCutoffs } from '../schema-sessions';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  unitCode: string | null;
  /** The organisation of the directory the account belongs to instead of a unit. */
  organisationCode?: string | null;
  displayName: string;
}

export interface UserRecord extends NewUser {
  active: boolean;
  email: string | null;
  /** Set while the password is a one-time password (application/auth/one-time.ts). */
  oneTimeExpiresAt: Date | null;
  oneTimeUsedAt: Date | null;
  failedLogins: number;
  lockedUntil: Date | null;
}

export function createUserRepository(db: Database) {
  return {
    /**
     * `waitForChanges`: read with FOR SHARE, so a change to the account that holds the row (an admin's
     * disable, role change or reset, db/repositories/accounts.ts) is waited for and read once committed,
     * never the row it is replacing (the login, application/auth/service.ts).
     */
    async findByUsername(username: string, options: { waitForChanges?: boolean } = {}): Promise<UserRecord | null> {
      const query = db
        .select({
          username: users.username,
          passwordHash: users.passwordHash,
          role: users.role,
          unitCode: users.unitCode,
          organisationCode: users.organisationCode,
          displayName: users.displayName,
          active: users.active,
          email: users.email,
          oneTimeExpiresAt: users.oneTimeExpiresAt,
          oneTimeUsedAt: users.oneTimeUsedAt,
          failedLogins: users.failedLogins,
          lockedUntil: users.lockedUntil,
        })
        .from(users)
        .where(eq(users.username, username));
      const [row] = options.waitForChanges ? await query.for('share') : await query;
      return row ?? null;
    },

    /** Which of these usernames exist already (seeding hashes only the missing ones). */
    async existing(usernames: string[]): Promise<Set<string>> {
      if (usernames.length === 0) return new Set();
      const rows = await db.select({ username: users.username }).from(users).where(inArray(users.username, usernames));
      return new Set(rows.map((row) => row.username));
    },

    /** Inserts users; an existing username is left as it is. */
    async insertMissing(rows: NewUser[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await db.insert(users).values(rows).onConflictDoNothing({ target: users.username }).returning({ username: users.username });
      return inserted.length;
    },

    /** One more failed login; from the fifth on the account locks for lockDurationMs (domain/lockout.ts). */
    async recordFailure(username: string, now: Date): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(users)
          .set({ failedLogins: sql`${users.failedLogins} + 1` })
          .where(eq(users.username, username))
          .returning({ failedLogins: users.failedLogins });
        const lockMs = row ? lockDurationMs(row.failedLogins) : 0;
        if (lockMs > 0) await tx.update(users).set({ lockedUntil: new Date(now.getTime() + lockMs) }).where(eq(users.username, username));
      });
    },

    /**
     * A successful login: the failures are forgotten, and a one-time password is spent. False when the
     * one-time password was spent meanwhile (two logins at once): only the first may open a session.
     */
    async recordSuccess(username: string, now: Date, spentOneTime: boolean): Promise<boolean> {
      const spent = await db
        .update(users)
        .set({ failedLogins: 0, lockedUntil: null, ...(spentOneTime ? { oneTimeUsedAt: now } : {}) })
        .where(spentOneTime ? and(eq(users.username, username), isNull(users.oneTimeUsedAt)) : eq(users.username, username))
        .returning({ username: users.username });
      return spent.length > 0;
    },

    /** Disabling an account also ends every token it holds (db/schema-sessions.ts), in the same transaction. */
    async setActive(username: string, active: boolean): Promise<void> {
      const at = new Date();
      await db.transaction(async (tx) => {
        await tx.update(users).set({ active, updatedAt: at }).where(eq(users.username, username));
        if (!active) {
          await tx.insert(sessionCutoffs).values({ username, notBefore: at }).onConflictDoUpdate({ target: sessionCutoffs.username, set: { notBefore: at } });
        }
      });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

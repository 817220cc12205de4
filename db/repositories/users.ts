import { eq, inArray } from 'drizzle-orm';
import type { Role } from '../../domain/actors';
import type { Database } from '../connect';
import { users } from '../schema-auth';
import { sessionCutoffs } from '../schema-sessions';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  unitCode: string | null;
  displayName: string;
}

export interface UserRecord extends NewUser {
  active: boolean;
}

export function createUserRepository(db: Database) {
  return {
    async findByUsername(username: string): Promise<UserRecord | null> {
      const [row] = await db
        .select({
          username: users.username,
          passwordHash: users.passwordHash,
          role: users.role,
          unitCode: users.unitCode,
          displayName: users.displayName,
          active: users.active,
        })
        .from(users)
        .where(eq(users.username, username));
      return row ? { ...row, role: row.role as Role } : null;
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

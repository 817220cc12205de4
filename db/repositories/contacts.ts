import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ContactInput, ContactRole } from '../../domain/reminders';
import type { Database } from '../connect';
import { unitContacts } from '../schema-notifications';

export type ContactRow = typeof unitContacts.$inferSelect;

const viCollator = new Intl.Collator('vi');
const byName = (a: ContactRow, b: ContactRow) => viCollator.compare(a.name, b.name);

/** Unit contacts (name, role, e-mail): who reminders and escalations go to. */
export function createContactRepository(db: Database) {
  return {
    async listForUnit(unitCode: string): Promise<ContactRow[]> {
      const rows = await db.select().from(unitContacts).where(eq(unitContacts.unitCode, unitCode)).orderBy(asc(unitContacts.id));
      return rows.sort(byName);
    },

    async listByRoles(unitCode: string, roles: ContactRole[]): Promise<ContactRow[]> {
      return db
        .select()
        .from(unitContacts)
        .where(and(eq(unitContacts.unitCode, unitCode), inArray(unitContacts.role, roles)))
        .orderBy(asc(unitContacts.id));
    },

    async find(id: number): Promise<ContactRow | null> {
      const [row] = await db.select().from(unitContacts).where(eq(unitContacts.id, id));
      return row ?? null;
    },

    /** Inserts a contact; null when the unit already has one with that e-mail. */
    async create(unitCode: string, input: ContactInput): Promise<ContactRow | null> {
      const [row] = await db
        .insert(unitContacts)
        .values({ unitCode, ...input })
        .onConflictDoNothing({ target: [unitContacts.unitCode, unitContacts.email] })
        .returning();
      return row ?? null;
    },

    /** Seeds many contacts at once; existing (unit, e-mail) pairs are left as they are. */
    async createMany(rows: (ContactInput & { unitCode: string })[]): Promise<number> {
      if (rows.length === 0) return 0;
      const inserted = await db
        .insert(unitContacts)
        .values(rows)
        .onConflictDoNothing({ target: [unitContacts.unitCode, unitContacts.email] })
        .returning({ id: unitContacts.id });
      return inserted.length;
    },

    async update(id: number, input: ContactInput): Promise<ContactRow | null> {
      const [row] = await db
        .update(unitContacts)
        .set({ ...input, updatedAt: new Date() })
        .where(eq(unitContacts.id, id))
        .returning();
      return row ?? null;
    },

    async remove(id: number): Promise<boolean> {
      const removed = await db.delete(unitContacts).where(eq(unitContacts.id, id)).returning({ id: unitContacts.id });
      return removed.length > 0;
    },
  };
}

export type ContactRepository = ReturnType<typeof createContactRepository>;

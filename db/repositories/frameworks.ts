import { and, desc, eq, sql } from 'drizzle-orm';
import type { Framework } from '../../domain/framework';
import type { Database } from '../connect';
import { frameworks } from '../schema-frameworks';

export interface StoredFramework {
  code: string;
  version: number;
  titleVi: string;
  checksum: string;
  importedBy: string;
  importedAt: Date;
}

export function createFrameworkRepository(db: Database) {
  const summary = {
    code: frameworks.code,
    version: frameworks.version,
    titleVi: frameworks.titleVi,
    checksum: frameworks.checksum,
    importedBy: frameworks.importedBy,
    importedAt: frameworks.importedAt,
  };

  return {
    /**
     * Stores a validated framework as the next version of its code, unless the
     * latest version has the same checksum (then that version is returned, so a
     * repeated import adds nothing). One transaction with a lock on the code.
     */
    async saveVersion(input: { framework: Framework; checksum: string; importedBy: string }): Promise<StoredFramework & { created: boolean }> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`frameworks:${input.framework.code}`}))`);
        const [latest] = await tx
          .select(summary)
          .from(frameworks)
          .where(eq(frameworks.code, input.framework.code))
          .orderBy(desc(frameworks.version))
          .limit(1);
        if (latest?.checksum === input.checksum) return { ...latest, created: false };
        const [stored] = await tx
          .insert(frameworks)
          .values({
            code: input.framework.code,
            version: (latest?.version ?? 0) + 1,
            titleVi: input.framework.title_vi,
            document: input.framework,
            checksum: input.checksum,
            importedBy: input.importedBy,
          })
          .returning(summary);
        return { ...stored!, created: true };
      });
    },

    async list(): Promise<StoredFramework[]> {
      return db.select(summary).from(frameworks).orderBy(frameworks.code, desc(frameworks.version));
    },

    /** One version, or the latest when none is given. */
    async find(code: string, version?: number): Promise<(StoredFramework & { document: Framework }) | null> {
      const [row] = await db
        .select({ ...summary, document: frameworks.document })
        .from(frameworks)
        .where(version === undefined ? eq(frameworks.code, code) : and(eq(frameworks.code, code), eq(frameworks.version, version)))
        .orderBy(desc(frameworks.version))
        .limit(1);
      return row ? { ...row, document: row.document as Framework } : null;
    },
  };
}

export type FrameworkRepository = ReturnType<typeof createFrameworkRepository>;

import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations to db/migrations; they are committed
// and applied by migrate() at start-up. Never `drizzle-kit push`.
export default defineConfig({
  dialect: 'postgresql',
  // db/schema.ts holds the campaign read model; each further area keeps its tables in db/schema-<area>.ts.
  schema: ['./db/schema.ts', './db/schema-*.ts'],
  out: './db/migrations',
});

import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations to db/migrations; they are committed
// and applied by migrate() at start-up. Never `drizzle-kit push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});

import { openDatabase } from '../db/connect';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';

// One-shot: applies the committed migrations to DATABASE_URL (or the embedded PGlite).
const config = loadConfig();
const logger = createLogger(config, 'migrate');
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
await database.migrate();
logger.info({ kind: database.kind }, 'migrations applied');
await database.close();

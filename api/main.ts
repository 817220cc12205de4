import { Client, Connection } from '@temporalio/client';
import closeWithGrace from 'close-with-grace';
import { openDatabase } from '../db/connect';
import { loadConfig } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { composeApi } from './compose';

// The API process: config → logger → db → Temporal client → app. With PGlite
// (no DATABASE_URL) the database belongs to one process, so run `npm start`
// instead of a separate API and worker.
const config = loadConfig();
const logger = createLogger(config, 'api');
for (const warning of config.warnings) logger.warn(warning);
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const app = await composeApi({ db: database.db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, logger, settings: config });

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  await app.close();
  await connection.close();
  await database.close();
});

await app.listen({ host: config.API_HOST, port: config.API_PORT });

import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../../db/connect';
import { mailerFromConfig } from '../../../notifications/mailer';
import { loadConfig, publicUrl, workflowBundleOf } from '../../../runtime/config';
import { composeWorker } from '../../../worker/compose';

/*
 * A worker process, configured like worker/main.ts, in which every e-mail stops
 * for good while it waits for an SMTP connection: it prints `HELD <delivery id>`
 * and goes no further, so a test can SIGKILL the process at exactly that moment
 * (the reminder and its e-mails recorded, nothing handed to the SMTP server).
 */
const config = loadConfig();
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await composeWorker({
  db: database.db,
  connection: await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS }),
  client: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle: workflowBundleOf(config),
  notifications: {
    mailer: mailerFromConfig(config),
    publicUrl: publicUrl(config),
    faults: {
      beforeHandover(delivery) {
        process.stdout.write(`HELD ${delivery.id}\n`);
        return new Promise<never>(() => {});
      },
    },
  },
});
await worker.run();

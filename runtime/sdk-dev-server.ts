import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../contracts/search-attributes';
import type { RunningDevServer } from './dev-server';

/**
 * Last resort when no Temporal CLI can be found or built: the SDK downloads the
 * same dev server (needs internet) and runs it with our db file. The SDK waits
 * only a few seconds for it to answer, which is fine on a developer's machine.
 */
export async function startSdkDevServer(options: { ip: string; port: number; uiPort: number; dbFilename: string }): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: options.ip,
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      searchAttributes: [...ALL_SEARCH_ATTRIBUTE_KEYS],
    },
  });
  return {
    address: `${options.ip}:${options.port}`,
    uiUrl: `http://${options.ip}:${options.uiPort}`,
    stop: () => env.teardown(),
  };
}

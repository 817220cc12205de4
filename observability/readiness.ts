import type { Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/connect';

export type Check = () => Promise<unknown>;

/**
 * Runs every named check at once, each bounded by `timeoutMs`; resolves to the
 * problems found ("postgres: connection refused"), empty when all pass. A check
 * that hangs counts as failed: a readiness probe must answer.
 */
export function readiness(checks: Record<string, Check>, timeoutMs = 3000): () => Promise<string[]> {
  return async () => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
        try {
          await Promise.race([check(), timeout]);
          return undefined;
        } catch (error) {
          return `${name}: ${error instanceof Error ? error.message : String(error)}`;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return results.filter((problem): problem is string => problem !== undefined);
  };
}

export const postgresCheck = (db: Pick<Database, 'execute'>): Check => () => db.execute(sql`select 1`);

/** The frontend's gRPC health service: answers SERVING when the cluster can take requests. */
export const temporalCheck = (connection: Pick<Connection, 'healthService'>): Check => async () => {
  const { status } = await connection.healthService.check({});
  // 1 = SERVING (grpc.health.v1.HealthCheckResponse.ServingStatus)
  if (status !== 1) throw new Error(`health status ${status}`);
};

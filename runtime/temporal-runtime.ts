import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the Temporal SDK's own logs (worker, workflow `log`, activity `log`)
 * into pino, and leaves SIGINT/SIGTERM to our entrypoint's close-with-grace so
 * shutdown has one owner. Runtime.install may run once per process, so only
 * entrypoints call it.
 */
export function installTemporalRuntime(logger: Logger): void {
  const minimum = logger.level === 'silent' ? 'ERROR' : logger.level === 'debug' || logger.level === 'trace' ? 'DEBUG' : 'INFO';
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(minimum, (entry) => {
      logger[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}

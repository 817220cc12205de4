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
 * entrypoints call it. With `metricsBindAddress`, the SDK serves its metrics there.
 */
export function installTemporalRuntime(logger: Logger, options: { metricsBindAddress?: string } = {}): void {
  const minimum = logger.level === 'silent' ? 'ERROR' : logger.level === 'debug' || logger.level === 'trace' ? 'DEBUG' : 'INFO';
  Runtime.install({
    shutdownSignals: [],
    // The SDK core's own Prometheus exporter (task slots, polls, latencies), named as
    // Prometheus expects: counters end in _total, durations are seconds with the unit in the name.
    ...(options.metricsBindAddress
      ? {
          telemetryOptions: {
            metrics: { prometheus: { bindAddress: options.metricsBindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
          },
        }
      : {}),
    logger: new DefaultLogger(minimum, (entry) => {
      logger[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}

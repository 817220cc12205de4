import type { Config } from '../runtime/config';
import type { Tracing } from './tracing';

/**
 * The process's tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, else undefined,
 * and then no module of OpenTelemetry is ever imported (tracing.ts is loaded here,
 * on demand). `serviceName` is the default of OTEL_SERVICE_NAME.
 */
export async function tracingFromConfig(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>,
  serviceName: string,
): Promise<Tracing | undefined> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { startTracing } = await import('./tracing');
  return startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME ?? serviceName });
}

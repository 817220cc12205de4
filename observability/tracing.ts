import { FastifyOtelInstrumentation } from '@fastify/otel';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import type { FastifyPluginCallback } from 'fastify';
import type { QueryObserver } from '../db/observed-queries';

/**
 * OpenTelemetry traces of one process, exported over OTLP/HTTP (JSON). The
 * entrypoints import this module only when OTEL_EXPORTER_OTLP_ENDPOINT is set
 * (`await import(...)`), so a process without it loads none of OpenTelemetry.
 *
 * One trace follows a request: the Fastify route (@fastify/otel), the Temporal
 * client's start or update (its header carries the context), the workflow's
 * update handler and the activities it schedules (workflow-tracing.ts, in the
 * workflow bundle), each activity on the worker, and every Postgres statement
 * under whatever span is active (db/observed-queries.ts).
 *
 * The SDK is the 1.x line on purpose: @temporalio/interceptors-opentelemetry
 * 1.24 builds workflow spans with sdk-trace-base 1.x inside the sandbox and
 * hands them to the worker in that ReadableSpan shape (`parentSpanId`,
 * `instrumentationLibrary`), which a 2.x exporter would read without their
 * parents.
 */
export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the receiver's base URL; spans go to its `v1/traces`. */
  endpoint: string;
  serviceName: string;
}

export function startTracing(settings: TracingSettings) {
  const resource = new Resource({ 'service.name': settings.serviceName });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(settings.endpoint) }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The AsyncLocalStorage context manager and W3C trace-context propagation, process-wide.
  provider.register();
  const tracer = provider.getTracer('par-index');
  return {
    /** For every Temporal client of the process: its calls carry the active trace to the workflow. */
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } satisfies ClientInterceptors,
    /** A span per activity execution, a child of the workflow's span that scheduled it. */
    activityInterceptors: [
      (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
    ] satisfies NonNullable<WorkerInterceptors['activity']>,
    /** Where the workflow sandbox sends its spans (workflow-tracing.ts). */
    workflowSinks: { exporter: makeWorkflowExporter(processor, resource) } satisfies NonNullable<WorkerOptions['sinks']>,
    /** A span per request, named by its method and route pattern (`POST /campaigns/:campaignId/guidance`); registered before every route. */
    fastifyPlugin: new FastifyOtelInstrumentation({
      // A span for each of the app's hooks (guards, auth, rate limit) would double a trace.
      instrumentHooks: false,
      // The route's span is the request's; a handler span adds nothing but the handler's name (or source).
      instrumentHandler: false,
      requestHook: (span, request) => span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`),
    }).plugin() as FastifyPluginCallback,
    observeQuery: querySpans(tracer),
    /** Sends what is still buffered; call it once, as the process stops. */
    shutdown: () => provider.shutdown(),
  };
}

export type Tracing = ReturnType<typeof startTracing>;

/** The spec's rule for OTEL_EXPORTER_OTLP_ENDPOINT: a base URL, with `v1/traces` appended to its path. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
  return url.toString();
}

/**
 * A client span per statement, named by its first keyword (`SELECT`, `INSERT`, …)
 * as the database semantic conventions fall back to; the text is drizzle's,
 * with placeholders, so no value a person typed leaves the process.
 */
function querySpans(tracer: Tracer): QueryObserver {
  return (statement) => {
    const operation = /^\s*(\w+)/.exec(statement)?.[1]?.toUpperCase() ?? 'QUERY';
    const span = tracer.startSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'postgresql', 'db.operation.name': operation, 'db.query.text': statement },
    });
    return (error) => {
      // The SQLSTATE, not the message: Postgres quotes the offending value in some of its messages.
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: failureCode(error) });
      span.end();
    };
  };
}

function failureCode(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'error';
}

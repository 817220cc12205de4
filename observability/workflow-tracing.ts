/**
 * Workflow interceptors of the workflow bundle (worker/create-worker.ts,
 * WORKFLOW_INTERCEPTOR_MODULES): they run inside the Temporal sandbox, so they
 * import only @temporalio/workflow and the sandbox half of
 * @temporalio/interceptors-opentelemetry.
 *
 * A bundle is built once for every worker (the image, `npm run
 * bundle:workflows`), traced or not, so these are always in it and decide per
 * workflow: the OpenTelemetry interceptors take over only once a traced caller
 * has reached the workflow, i.e. its start, a signal or an accepted update
 * carried the trace header. Until then every call goes straight to `next`,
 * which is what an untraced deployment ever does. Those three are in the
 * history with their headers, so a replay switches tracing on at the same
 * event as the first run did: the yields and activity headers it adds are the
 * same on both. A query or an update's validator (neither is in the history)
 * never switches it on; they are traced only once it is on.
 *
 * The spans go to the worker through the `exporter` sink: observability/tracing.ts
 * when the worker traces, else a sink that drops them (worker/create-worker.ts).
 */
import type * as OpenTelemetryWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Headers } from '@temporalio/common';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptorsFactory, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

/** The header @temporalio/interceptors-opentelemetry writes the trace context into (its TRACE_HEADER). */
const TRACE_HEADER = '_tracer-data';

type Traced = {
  inbound: OpenTelemetryWorkflow.OpenTelemetryInboundInterceptor;
  outbound: OpenTelemetryWorkflow.OpenTelemetryOutboundInterceptor;
  internals: OpenTelemetryWorkflow.OpenTelemetryInternalsInterceptor;
};

/**
 * The sandbox half of OpenTelemetry, required by a workflow's first traced call
 * and so evaluated into that workflow's own modules, as a static import was at
 * its creation. Its module graph (a tracer provider, the semantic conventions)
 * cost the worker about 3 ms of CPU for every workflow it created or replayed,
 * traced or not (BENCHMARKS.md, P1'); a workflow no traced caller reaches never
 * loads it. webpack bundles the module all the same: the path is a literal.
 */
function loadOpenTelemetry(): typeof OpenTelemetryWorkflow {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OpenTelemetryWorkflow;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  // Per workflow: the factory runs once for each workflow the worker creates.
  let traced: Traced | undefined;
  const switchOn = (headers: Headers): Traced | undefined => {
    if (!traced && headers[TRACE_HEADER]) {
      const otel = loadOpenTelemetry();
      traced = { inbound: new otel.OpenTelemetryInboundInterceptor(), outbound: new otel.OpenTelemetryOutboundInterceptor(), internals: new otel.OpenTelemetryInternalsInterceptor() };
    }
    return traced;
  };
  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => switchOn(input.headers)?.inbound.execute(input, next) ?? next(input),
    handleSignal: (input, next) => switchOn(input.headers)?.inbound.handleSignal(input, next) ?? next(input),
    handleUpdate: (input, next) => switchOn(input.headers)?.inbound.handleUpdate(input, next) ?? next(input),
    validateUpdate: (input, next) => (traced ? traced.inbound.validateUpdate(input, next) : next(input)),
    handleQuery: (input, next) => traced?.inbound.handleQuery(input, next) ?? next(input),
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => traced?.outbound.scheduleActivity(input, next) ?? next(input),
    scheduleLocalActivity: (input, next) => traced?.outbound.scheduleLocalActivity(input, next) ?? next(input),
    startChildWorkflowExecution: (input, next) => traced?.outbound.startChildWorkflowExecution(input, next) ?? next(input),
    continueAsNew: (input, next) => traced?.outbound.continueAsNew(input, next) ?? next(input),
    signalWorkflow: (input, next) => traced?.outbound.signalWorkflow(input, next) ?? next(input),
    getLogAttributes: (input, next) => traced?.outbound.getLogAttributes(input, next) ?? next(input),
  };
  return {
    inbound: [inbound],
    outbound: [outbound],
    // Its context manager is the sandbox's, shared by the workflows of a thread: only a traced workflow's end touches it.
    internals: [{ dispose: (input, next) => (traced ? traced.internals.dispose(input, next) : next(input)) }],
  };
};

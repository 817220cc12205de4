import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerInterceptors, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { CampaignActivities } from '../activities';
import type { Config } from '../runtime/config';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The whole workflow module graph (workflows/ and the pure domain/ code it
 * imports) is evaluated once per worker thread, before any workflow exists,
 * and shared by every workflow the thread runs. Otherwise the SDK evaluates
 * each of those modules again for every workflow it creates or replays, and a
 * unit that has left the cache is replayed on its next step: 157 against 111
 * KiB of heap per cached unit (`npm run bench:memory`, BENCHMARKS.md). Sharing is
 * safe because none of these modules keeps per-workflow state at module
 * level: workflows/ declares definitions and functions, domain/ is pure (its
 * only module-level state is memo caches of pure functions), and lint lets
 * workflow code import nothing else and forbids a module-level `let` in both
 * (eslint.config.js).
 */
export const workflowBundlerOptions = { preloadModules: [WORKFLOWS_PATH] };

/**
 * Workflow interceptor modules, compiled into every bundle: the tracing
 * interceptors stay out of the way of a workflow no traced caller has reached
 * (observability/workflow-tracing.ts), so one bundle serves a worker with
 * tracing on or off.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('../observability/workflow-tracing.ts', import.meta.url))];

/**
 * The sink the workflow interceptors send their spans to, for a worker that does
 * not trace: a workflow started by a traced API still has spans, and a missing
 * sink would log an error for each batch.
 */
const droppedWorkflowSpans: NonNullable<WorkerOptions['sinks']> = { exporter: { export: { fn: () => {} } } };

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CampaignActivities;
  /** A prebuilt bundle, its code (tests share one) or its file (WORKFLOW_BUNDLE_PATH); otherwise the worker bundles workflows/ at start. */
  workflowBundle?: WorkflowBundle | { codePath: string };
  /** Cache and slot sizes from runtime/config.ts; absent (tests), the SDK's defaults. */
  tuning?: WorkerTuning;
  /** Activity interceptors, e.g. the metrics of observability/activity-metrics.ts and the tracing of observability/tracing.ts. */
  interceptors?: Pick<WorkerInterceptors, 'activity'>;
  /** The `exporter` sink of a worker that traces (observability/tracing.ts); absent, workflow spans are dropped. */
  sinks?: WorkerOptions['sinks'];
}

export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentActivityTaskExecutions: number;
  /** WORKER_STICKY_QUEUE_TIMEOUT_MS (runtime/config.ts): bounds the wait of a step to a dead worker's workflows. */
  stickyQueueScheduleToStartTimeout?: number;
}

/** The worker's cache, slots and sticky queue timeout from process config. */
export function workerTuning(
  config: Pick<Config, 'WORKER_MAX_CACHED_WORKFLOWS' | 'WORKER_MAX_CONCURRENT_ACTIVITIES' | 'WORKER_STICKY_QUEUE_TIMEOUT_MS'>,
): WorkerTuning {
  return {
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    stickyQueueScheduleToStartTimeout: config.WORKER_STICKY_QUEUE_TIMEOUT_MS,
  };
}

/**
 * How often a running activity's beats reach the server at most. The SDK sends
 * one per 80 % of the heartbeat timeout by default: 4 s against the 5 s timeout
 * of the projection and the campaign's activities, which leaves a loaded server
 * one second to take a beat before a live attempt is declared lost. A beat a
 * second keeps four seconds of margin; only attempts longer than a second beat.
 */
const HEARTBEAT_SEND_INTERVAL = '1 second';

export function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: deps.activities,
    interceptors: { ...deps.interceptors, ...(deps.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }) },
    sinks: deps.sinks ?? droppedWorkflowSpans,
    maxHeartbeatThrottleInterval: HEARTBEAT_SEND_INTERVAL,
    ...deps.tuning,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions }),
  });
}

/** The bundle a worker runs, built ahead of it (scripts/bundle-workflows.ts, the image) or by tests once for all their workers. */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    ...workflowBundlerOptions,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};

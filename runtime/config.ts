import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Every setting the processes read, parsed once at start-up. Nothing else in the
 * code base reads process.env: entrypoints call loadConfig() and pass values down.
 */
const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('par-index'),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_CLI: z.string().min(1).optional(),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Reminder e-mail. Without SMTP_HOST, e-mail is recorded as 'skipped' and only the in-app inbox gets the message.
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(3).default('Sở Nội vụ - Chỉ số CCHC <no-reply@par-index.local>'),
  SMTP_SECURE: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HS256 key of the login tokens (application/auth/tokens.ts); required in production, see loadConfig. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  /** How long a login token (and the session cookie) lasts. */
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(8 * 3600),
  /** Comma-separated origins allowed by CORS (e.g. a dashboard served elsewhere); empty: same origin only. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url('each origin must be a URL such as https://cchc.hanoi.gov.vn'))),
  /**
   * Workflows the worker keeps in memory between their tasks (BENCHMARKS.md). The SDK's
   * default grows with the heap limit (about 2,300 on a 23 GiB machine), so every
   * open unit workflow stayed cached and a 5,000-unit campaign ran the worker out of
   * memory. A unit workflow sleeps for days between steps: an evicted one costs one
   * replay of a short history when it wakes.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).default(300),
  /**
   * A workflow bundle built ahead by `npm run bundle:workflows` (the image builds one). Unset, the
   * worker bundles workflows/ when it starts, which leaves it about 130 MiB larger for its whole life.
   */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** Activity slots of the worker; its database pool gets as many connections, so no activity waits for one. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(20),
  /**
   * How long an HTTP request waits on Temporal (a step's update, a progress
   * query) before it answers 503: `update_pending` with the Idempotency-Key to
   * retry with, or `workflow_service_unavailable`. Bounds every request while
   * a worker or the server is away.
   */
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /**
   * The API projects the self-assessments it takes (application/services/returned-projection.ts);
   * a step whose projection did not commit (the API died, the database was away) is projected by
   * a sweeper once its intent is this old. Unset: twice TEMPORAL_CALL_TIMEOUT_MS, at least 60 s,
   * so that no step still being answered is swept.
   */
  PROJECTION_STALE_AFTER_MS: z.coerce.number().int().min(100).optional(),
  /** How often the API's sweeper looks for such steps; 0 turns it off (another API process sweeps). */
  PROJECTION_SWEEP_EVERY_MS: z.coerce.number().int().min(0).default(15_000),
  /**
   * How long a workflow task waits on the sticky queue of the worker that last ran
   * the workflow before the server hands it to any worker. A SIGKILLed worker
   * never tells the server it is gone, so this bounds how long a step to one of its
   * workflows waits after it died (the SDK's default, 10 s, set recovery whatever
   * the restart took). A live worker picks its sticky tasks in milliseconds; one
   * too busy to within this time costs a replay elsewhere, not a failure.
   */
  WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(200).default(2_000),
  /** Requests per minute per client IP before 429 (/health is exempt). */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  /**
   * The reverse proxies in front of the API, whose X-Forwarded-For and X-Forwarded-Proto it believes:
   * a number of hops, or addresses/CIDRs separated by commas. Unset, none: behind a proxy every client
   * would otherwise share the proxy's address, and so one rate-limit bucket.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*)$/, 'a number of hops, or IP addresses or CIDRs separated by commas')
    .transform((value): number | string[] => (/^\d+$/.test(value) ? Number(value) : value.split(',')))
    .optional(),
  /** Where evidence files are stored, named by their sha256; default `${DATA_DIR}/evidence`, see loadConfig. */
  EVIDENCE_DIR: z.string().min(1).optional(),
  /** The largest evidence file accepted; a larger upload answers 413 and keeps nothing. Default 20 MiB. */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  /**
   * The operators' listener of the API or the worker (observability/server.ts): /metrics,
   * /health, /ready. Unset, there is none. Two processes on one host need two ports.
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Where that listener binds: loopback unless a scraper elsewhere needs it (never the public network). */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The worker's Temporal SDK metrics, served by the SDK core on METRICS_HOST and appended to the worker's /metrics. */
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * OpenTelemetry traces (observability/tracing.ts), by the variables the OpenTelemetry spec names: the
   * base URL of an OTLP/HTTP receiver (a collector, Jaeger, Tempo), to which `v1/traces` is appended.
   * Unset, there is no tracing: nothing of OpenTelemetry is loaded in the process and nothing is sent.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'must start with http:// or https:// (OTLP over HTTP, e.g. http://127.0.0.1:4318)')
    .optional(),
  /** The `service.name` of the spans; default `par-index-api`, `par-index-worker` or `par-index` (npm start). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** How long a one-time password of a new or reset account logs in (application/auth/one-time.ts). */
  ONE_TIME_PASSWORD_TTL_HOURS: z.coerce.number().int().min(1).max(30 * 24).default(72),
});

/**
 * A development-only signing key, used when JWT_SECRET is unset outside
 * production; tokens signed with it are worthless anywhere it is known.
 */
export const DEVELOPMENT_JWT_SECRET = 'par-index-development-secret-not-for-production';

export type Config = Omit<z.infer<typeof configSchema>, 'JWT_SECRET' | 'EVIDENCE_DIR'> & {
  JWT_SECRET: string;
  EVIDENCE_DIR: string;
  /** Things an entrypoint should log as warnings once its logger exists (e.g. the development JWT secret). */
  warnings: string[];
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const { JWT_SECRET, EVIDENCE_DIR, ...settings } = parsed.data;
  const rest = { ...settings, EVIDENCE_DIR: EVIDENCE_DIR ?? join(settings.DATA_DIR, 'evidence') };
  if (rest.NODE_ENV === 'production') {
    if (!JWT_SECRET) {
      throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production (at least 32 characters, e.g. `openssl rand -base64 48`)']);
    }
    // The development key is published in this repository: anyone could sign an admin token with it.
    if (JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      throw new ConfigError(['JWT_SECRET: the public development key cannot sign tokens when NODE_ENV=production (generate one, e.g. `openssl rand -base64 48`)']);
    }
  }
  if (JWT_SECRET) return { ...rest, JWT_SECRET, warnings: [] };
  return {
    ...rest,
    JWT_SECRET: DEVELOPMENT_JWT_SECRET,
    warnings: ['JWT_SECRET is unset: login tokens are signed with the public development key; set JWT_SECRET before exposing the API'],
  };
}

/**
 * The worker's workflow bundle built ahead, checked when the worker starts: the
 * worker alone reads it, and the other processes (migrations, the API) of an
 * image start before or without it.
 */
export function workflowBundleOf(config: Pick<Config, 'WORKFLOW_BUNDLE_PATH'>): { codePath: string } | undefined {
  const path = config.WORKFLOW_BUNDLE_PATH;
  if (path === undefined) return undefined;
  if (!existsSync(path)) throw new ConfigError([`WORKFLOW_BUNDLE_PATH: ${path} does not exist (build it with \`npm run bundle:workflows <file>\`)`]);
  return { codePath: path };
}

export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'API_HOST' | 'API_PORT'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/$/, '');
  const host = config.API_HOST === '0.0.0.0' ? '127.0.0.1' : config.API_HOST;
  return `http://${host}:${config.API_PORT}`;
}

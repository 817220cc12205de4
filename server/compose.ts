import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Database } from '../db/connect';
import { createAccountRepository } from '../db/repositories/accounts';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContactRepository } from '../db/repositories/contacts';
import { createDraftRepository } from '../db/repositories/drafts';
import { createEvidenceRepository } from '../db/repositories/evidence';
import { createFrameworkRepository } from '../db/repositories/frameworks';
import { createNotificationRepository } from '../db/repositories/notifications';
import { createOrganisationRepository } from '../db/repositories/organisations';
import { createProgressRepository } from '../db/repositories/progress';
import { createReadModelRepository } from '../db/repositories/read-model';
import { createParkedChangeRepository } from '../db/repositories/read-model-parking';
import { createProjectionIntentRepository } from '../db/repositories/projection-intents';
import type { ChainFaults } from '../db/repositories/chain';
import { createSessionRepository } from '../db/repositories/sessions';
import { createSurveyAnswerRepository } from '../db/repositories/survey-answers';
import { createUserRepository } from '../db/repositories/users';
import type { Config } from '../runtime/config';
import { buildApp, type AppDeps } from './app';
import { DEFAULT_ONE_TIME_TTL_HOURS } from '../application/auth/one-time';
import { createAuthService } from '../application/auth/service';
import { createAccountService } from '../application/services/accounts';
import { createOnboardingService } from '../application/services/onboarding';
import { createOnboardingRepository } from '../db/repositories/onboarding';
import { createTokenService } from '../application/auth/tokens';
import { createCampaignService } from '../application/services/campaigns';
import { createContactService } from '../application/services/contacts';
import { createDraftService } from '../application/services/drafts';
import { createEvidenceService } from '../application/services/evidence';
import { createEvidenceCitations } from '../application/services/evidence-citations';
import { createExportService } from '../application/services/exports';
import { createFrameworkService } from '../application/services/frameworks';
import { createNotificationService } from '../application/services/notifications';
import { createOrganisationService } from '../application/services/organisations';
import { createParkedChangeService } from '../application/services/parked-changes';
import { createProgressService } from '../application/services/progress';
import { createResultsService } from '../application/services/results';
import { createReturnedProjection } from '../application/services/returned-projection';
import { createStepService, DEFAULT_CALL_TIMEOUT_MS } from '../application/services/steps';
import { createSurveyAnswerService } from '../application/services/survey-answers';
import { createVerificationService } from '../application/services/verification';
import { loadBundle } from '../verification/load';

/** The settings the API takes from runtime/config.ts. */
export type ApiSettings = Pick<Config, 'JWT_SECRET' | 'JWT_TTL_SECONDS' | 'CORS_ORIGINS' | 'RATE_LIMIT_MAX' | 'NODE_ENV'> &
  // Optional so settings written before evidence files (tests) still compile; the entrypoints pass the whole Config.
  Partial<
    Pick<
      Config,
      | 'EVIDENCE_DIR'
      | 'EVIDENCE_MAX_BYTES'
      | 'TEMPORAL_CALL_TIMEOUT_MS'
      | 'PROJECTION_STALE_AFTER_MS'
      | 'PROJECTION_SWEEP_EVERY_MS'
      | 'ONE_TIME_PASSWORD_TTL_HOURS'
      | 'PUBLIC_URL'
      | 'TRUST_PROXY'
    >
  >;

/** Where evidence goes when the settings name no directory (tests): the system temp dir, never the repository. */
const FALLBACK_EVIDENCE_DIR = join(tmpdir(), 'par-index-evidence');
const FALLBACK_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

export interface ApiDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: FastifyBaseLogger | false;
  settings: ApiSettings;
  operations?: AppDeps['operations'];
  /** Test hooks: faults injected while the API's projection links events into the hash chain; never set by an entrypoint. */
  chainFaults?: ChainFaults;
}

/** A projection log for an API built without a logger (tests). */
const SILENT_LOG = { warn: () => undefined, error: () => undefined };

/** repositories → services → app: the API's wiring, shared by server/main.ts, the all-in-one starter and tests. */
export async function composeApi(deps: ApiDeps): Promise<FastifyInstance> {
  const campaigns = createCampaignRepository(deps.db);
  const users = createUserRepository(deps.db);
  const accounts = createAccountRepository(deps.db);
  const organisations = createOrganisationRepository(deps.db);
  const frameworks = createFrameworkRepository(deps.db);
  const tokens = createTokenService({ secret: deps.settings.JWT_SECRET, ttlSeconds: deps.settings.JWT_TTL_SECONDS });
  const sessions = createSessionRepository(deps.db);
  const evidenceFiles = createEvidenceRepository(deps.db);
  const readModel = createReadModelRepository(deps.db);
  const parked = createParkedChangeRepository(deps.db);
  const callTimeoutMs = deps.settings.TEMPORAL_CALL_TIMEOUT_MS ?? DEFAULT_CALL_TIMEOUT_MS;
  const projection = createReturnedProjection({
    intents: createProjectionIntentRepository(deps.db, { chainFaults: deps.chainFaults }),
    readModel,
    parked,
    temporal: deps.temporal,
    log: deps.logger || SILENT_LOG,
    staleAfterMs: deps.settings.PROJECTION_STALE_AFTER_MS ?? Math.max(60_000, 2 * callTimeoutMs),
    sweepEveryMs: deps.settings.PROJECTION_SWEEP_EVERY_MS ?? 15_000,
  });
  const steps = createStepService({
    temporal: deps.temporal,
    campaigns,
    citations: createEvidenceCitations({ evidence: evidenceFiles }),
    projection,
    callTimeoutMs,
  });
  const results = createResultsService({ campaigns, readModel });
  const now = () => Date.now();
  const progress = createProgressService({ progress: createProgressRepository(deps.db), campaigns, readModel, now });
  const evidenceStorage = {
    dir: deps.settings.EVIDENCE_DIR ?? FALLBACK_EVIDENCE_DIR,
    maxBytes: deps.settings.EVIDENCE_MAX_BYTES ?? FALLBACK_EVIDENCE_MAX_BYTES,
  };
  const app = await buildApp({
    logger: deps.logger,
    services: {
      campaigns: createCampaignService({ temporal: deps.temporal, taskQueue: deps.taskQueue, campaigns, frameworks, organisations, callTimeoutMs: deps.settings.TEMPORAL_CALL_TIMEOUT_MS }),
      steps,
      auth: createAuthService({ users, accounts, tokens, sessions, now }),
      accounts: createAccountService({ accounts, organisations, now, oneTimeTtlHours: deps.settings.ONE_TIME_PASSWORD_TTL_HOURS ?? DEFAULT_ONE_TIME_TTL_HOURS }),
      organisations: createOrganisationService({ organisations, now }),
      onboarding: createOnboardingService({
        onboarding: createOnboardingRepository(deps.db),
        now,
        oneTimeTtlHours: deps.settings.ONE_TIME_PASSWORD_TTL_HOURS ?? DEFAULT_ONE_TIME_TTL_HOURS,
      }),
      frameworks: createFrameworkService({ frameworks }),
      results,
      progress,
      exports: createExportService({ progress, results, now }),
      notifications: createNotificationService({ notifications: createNotificationRepository(deps.db) }),
      contacts: createContactService({ contacts: createContactRepository(deps.db) }),
      evidence: {
        service: createEvidenceService({ evidence: evidenceFiles, campaigns, storage: evidenceStorage, now }),
        storage: evidenceStorage,
      },
      drafts: createDraftService({ drafts: createDraftRepository(deps.db), campaigns, now }),
      parkedChanges: createParkedChangeService({ parked, now }),
      verification: createVerificationService({ loadBundle: (campaignId) => loadBundle(deps.db, campaignId) }),
      surveyAnswers: createSurveyAnswerService({ answers: createSurveyAnswerRepository(deps.db), submitResults: steps.survey.submitResults }),
    },
    operations: deps.operations,
    security: {
      tokens,
      sessions,
      secureCookie: deps.settings.NODE_ENV === 'production',
      corsOrigins: deps.settings.CORS_ORIGINS,
      // Behind a TLS-terminating proxy the API sees http:// while the browser's Origin says https://PUBLIC_URL.
      ...(deps.settings.PUBLIC_URL ? { publicOrigin: new URL(deps.settings.PUBLIC_URL).origin } : {}),
      rateLimitMax: deps.settings.RATE_LIMIT_MAX,
      ...(deps.settings.TRUST_PROXY !== undefined ? { trustProxy: deps.settings.TRUST_PROXY } : {}),
    },
  });
  // After the server stops taking requests: the steps it answered are projected before the pool closes.
  app.addHook('onClose', () => projection.close());
  return app;
}

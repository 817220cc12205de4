import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginCallback } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerGuards, STRIP_UPGRADE_INSECURE, type GuardOptions } from '../http/auth/guards';
import { registerAuth, SESSION_COOKIE } from '../http/auth/plugin';
import type { AuthService } from '../application/auth/service';
import type { SessionRepository } from '../db/repositories/sessions';
import type { TokenService } from '../application/auth/tokens';
import { registerErrorHandler } from '../http/error-handler';
import { authRoutes } from '../api/routes/auth';
import { campaignStepRoutes } from '../api/routes/campaign-steps';
import { campaignRoutes } from '../api/routes/campaigns';
import { accountRoutes } from '../api/routes/accounts';
import { organisationRoutes } from '../api/routes/organisations';
import { contactRoutes } from '../api/routes/contacts';
import { draftRoutes } from '../api/routes/drafts';
import { evidenceRoutes } from '../api/routes/evidence';
import { onboardingRoutes } from '../api/routes/onboarding';
import { exportRoutes } from '../api/routes/exports';
import { frameworkRoutes } from '../api/routes/frameworks';
import { notificationRoutes } from '../api/routes/notifications';
import { parkedChangeRoutes } from '../api/routes/parked-changes';
import { progressRoutes } from '../api/routes/progress';
import { resultsRoutes } from '../api/routes/results';
import { verificationRoutes } from '../api/routes/verification';
import type { VerificationService } from '../application/services/verification';
import { surveyAnswerRoutes } from '../api/routes/survey-answers';
import { surveyStepRoutes } from '../api/routes/survey-steps';
import { unitStepRoutes } from '../api/routes/unit-steps';
import { dashboardRoutes } from '../web/plugin';
import { bindLogContext } from '../observability/log-context';
import type { ApiMetrics } from '../observability/metrics';
import type { CampaignService } from '../application/services/campaigns';
import type { AccountService } from '../application/services/accounts';
import type { OrganisationService } from '../application/services/organisations';
import type { ContactService } from '../application/services/contacts';
import type { DraftService } from '../application/services/drafts';
import type { EvidenceService, EvidenceStorage } from '../application/services/evidence';
import type { OnboardingService } from '../application/services/onboarding';
import type { ExportService } from '../application/services/exports';
import type { FrameworkService } from '../application/services/frameworks';
import type { NotificationService } from '../application/services/notifications';
import type { ParkedChangeService } from '../application/services/parked-changes';
import type { ProgressService } from '../application/services/progress';
import type { ResultsService } from '../application/services/results';
import type { StepService } from '../application/services/steps';
import type { SurveyAnswerService } from '../application/services/survey-answers';

export interface SecurityOptions extends GuardOptions {
  tokens: Pick<TokenService, 'verify' | 'ttlSeconds'>;
  sessions: Pick<SessionRepository, 'isRevoked'>;
  /** Mark the session cookie Secure (HTTPS only): true in production. */
  secureCookie: boolean;
  /** The origin browsers see (PUBLIC_URL), trusted for cookie writes besides the request's own. */
  publicOrigin?: string;
  /** Proxies whose forwarded client address and scheme are believed (runtime/config.ts TRUST_PROXY). */
  trustProxy?: number | string[];
}

export interface AppDeps {
  logger: FastifyBaseLogger | false;
  services: { campaigns: CampaignService; steps: StepService; auth: AuthService; frameworks: FrameworkService; results: ResultsService } & {
    /** The inbox, reminder logs and policy; unit contacts. Optional so API tests can leave them out. */
    notifications?: NotificationService;
    contacts?: ContactService;
    /** Accounts, their one-time passwords and audit log, for Sở Nội vụ's admin. */
    accounts?: AccountService;
    /** The organisation directory: departments, the survey institute, the council, Sở Nội vụ. */
    organisations?: OrganisationService;
    /** The onboarding workbook: organisations, the province's units and accounts in one import. */
    onboarding?: OnboardingService;
    /** Survey answer import, points and their submission. */
    surveyAnswers?: SurveyAnswerService;
    /** Coordinators' progress, the progress workbook and results PDF, the dashboard (web/). */
    progress?: ProgressService;
    exports?: ExportService;
    /** Evidence files, with the size limit its multipart parser enforces. */
    evidence?: { service: EvidenceService; storage: Pick<EvidenceStorage, 'maxBytes'> };
    /** Self-assessment drafts saved from the dashboard. */
    drafts?: DraftService;
    /** Changes the read model refused, for Sở Nội vụ's administrators to retry. */
    parkedChanges?: ParkedChangeService;
    /** The published results' verification against the event chain (verification/). */
    verification?: VerificationService;
  };
  security: SecurityOptions;
  /** Metrics of every request, the /ready checks and the request spans (observability/); absent in most tests. */
  operations?: { metrics?: ApiMetrics; readiness?: () => Promise<string[]>; tracing?: FastifyPluginCallback };
}

/** Request bodies above this answer 413 (a self-assessment of the whole framework is well under 1 MiB). */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** A hop count as Fastify's trust function (the first `hops` proxies), or the addresses as they are. */
function trustedProxies(proxies: number | string[]): string[] | ((address: string, hop: number) => boolean) {
  return typeof proxies === 'number' ? (_address, hop) => hop < proxies : proxies;
}

/** Builds the HTTP app from its services; tests call it with their own and use app.inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    ...(deps.security.trustProxy !== undefined ? { trustProxy: trustedProxies(deps.security.trustProxy) } : {}),
  });
  // An HTML form on any page can send text/plain (like urlencoded and multipart) without a CORS
  // preflight; no route takes it, so it answers 415 (with the origin check of auth/csrf.ts).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // Before every route: @fastify/otel wraps each route as it is added.
  if (deps.operations?.tracing) await app.register(deps.operations.tracing);
  deps.operations?.metrics?.instrument(app);
  bindLogContext(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Guards and authentication come first: their hooks then apply to every route registered
  // below, including the routes later issues add (see http/auth/plugin.ts).
  await registerGuards(app, deps.security);
  await registerAuth(app, {
    tokens: deps.security.tokens,
    sessions: deps.security.sessions,
    trustedOrigins: [...deps.security.corsOrigins, ...(deps.security.publicOrigin ? [deps.security.publicOrigin] : [])],
    secureCookie: deps.security.secureCookie,
    publicPrefixes: ['/docs'],
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'par-index API',
        description:
          'Chỉ số cải cách hành chính (PAR Index): đợt đánh giá, quy trình và kết quả. Đăng nhập tại POST /auth/login, rồi bấm "Authorize" và dán token. / Log in at POST /auth/login, then "Authorize" with the token.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // staticCSP: the docs page's inline scripts are allowed by hash on its own routes only.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: STRIP_UPGRADE_INSECURE });

  app.get('/health', { config: { access: 'public', rateLimit: false }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Readiness for orchestrators: Postgres and Temporal reachable. 503 names what is not.
  const readiness = deps.operations?.readiness ?? (async () => []);
  app.get('/ready', { config: { access: 'public', rateLimit: false }, schema: { hide: true } }, async (_request, reply) => {
    // Anyone may ask, so only the names of the failing checks: their details (addresses, driver
    // messages) are the operators' listener's to show.
    const problems = (await readiness()).map((problem) => problem.split(':', 1)[0]!);
    return reply.code(problems.length ? 503 : 200).send({ status: problems.length ? 'not_ready' : 'ready', problems });
  });
  await app.register(authRoutes(deps.services.auth, deps.security));
  await app.register(campaignRoutes(deps.services.campaigns));
  await app.register(campaignStepRoutes(deps.services.steps.campaign));
  await app.register(unitStepRoutes(deps.services.steps.unit));
  await app.register(surveyStepRoutes(deps.services.steps.survey));
  await app.register(frameworkRoutes(deps.services.frameworks));
  await app.register(resultsRoutes(deps.services.results));
  if (deps.services.verification) await app.register(verificationRoutes(deps.services.verification));
  if (deps.services.notifications) await app.register(notificationRoutes(deps.services.notifications));
  if (deps.services.contacts) await app.register(contactRoutes(deps.services.contacts));
  if (deps.services.accounts) await app.register(accountRoutes(deps.services.accounts));
  if (deps.services.organisations) await app.register(organisationRoutes(deps.services.organisations));
  if (deps.services.onboarding) await app.register(onboardingRoutes(deps.services.onboarding));
  if (deps.services.surveyAnswers) await app.register(surveyAnswerRoutes(deps.services.surveyAnswers));
  if (deps.services.progress) await app.register(progressRoutes(deps.services.progress));
  if (deps.services.exports) await app.register(exportRoutes(deps.services.exports));
  if (deps.services.evidence) await app.register(evidenceRoutes(deps.services.evidence.service, deps.services.evidence.storage));
  if (deps.services.drafts) await app.register(draftRoutes(deps.services.drafts));
  if (deps.services.parkedChanges) await app.register(parkedChangeRoutes(deps.services.parkedChanges));
  const { progress, exports, drafts, evidence, surveyAnswers, notifications } = deps.services;
  if (progress && exports && drafts && evidence && surveyAnswers && notifications) {
    await app.register(dashboardRoutes({ ...deps.services, progress, exports, drafts, evidence, surveyAnswers, notifications }));
  }
  return app;
}

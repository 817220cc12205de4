import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VISITOR_ACTOR, type Actor } from '../domain/actors';
import type { CampaignDefinition } from '../domain/campaign';
import { DELIVERY_STATUSES } from '../domain/deliveries';
import { PROGRESS_STATUSES } from '../domain/progress';
import { UNIT_STAGES } from '../domain/units';
import { CAMPAIGN_ID_PATTERN, UNIT_CODE_PATTERN } from '../domain/text';
import { assertRoleMayEver, authorize, holds } from '../application/auth/authorize';
import { PASSWORD_PAGE } from '../http/auth/plugin';
import { ROLES } from '../domain/actors';
import type { RouteAccess } from '../http/auth/plugin';
import { AppError, ForbiddenError, NotFoundError, STATUS_BY_ERROR } from '../application/errors';
import { outageOf } from '../http/error-handler';
import { loggableFailure } from '../application/failures';
import { readFileSync } from 'node:fs';
import type { CampaignService } from '../application/services/campaigns';
import type { AccountService } from '../application/services/accounts';
import type { ContactService } from '../application/services/contacts';
import type { OrganisationService } from '../application/services/organisations';
import { ORGANISATION_KINDS } from '../domain/organisations';
import type { DraftService } from '../application/services/drafts';
import type { EvidenceService } from '../application/services/evidence';
import type { FrameworkService } from '../application/services/frameworks';
import type { NotificationService } from '../application/services/notifications';
import type { ParkedChangeService } from '../application/services/parked-changes';
import type { StepService } from '../application/services/steps';
import type { SurveyAnswerService } from '../application/services/survey-answers';
import type { ExportService } from '../application/services/exports';
import type { ProgressService } from '../application/services/progress';
import type { ResultsService } from '../application/services/results';
import { SCRIPT, STYLESHEET } from './assets';
import type { CouncilCandidates } from './forms';
import type { Html } from './html';
import { accountsPage, campaignListPage, campaignPage, errorPage, eventLogPage, frameworkPage, frameworksPage, inboxPage, loginPage, messagePage, organisationsPage, parkedChangesPage, passwordPage, rankingPage, reminderLogPage, surveyPage, unitPage, writesSelfAssessment } from './pages';
import { attachment } from '../http/attachment';

/**
 * The Vietnamese dashboard: server-rendered pages under
 * /dashboard, no build step. A page reads the caller the auth hook already
 * verified from the session cookie (http/auth/plugin.ts) and asks the same
 * services as the API, so it shows exactly what the API would let that role
 * read; a refusal becomes a page with the service's Vietnamese reason.
 *
 * The routes are declared public so that a missing login answers a redirect to
 * the login page instead of a JSON 401; each page requires the actor itself.
 */
export interface DashboardDeps {
  campaigns: Pick<CampaignService, 'list' | 'get' | 'eventPage'>;
  progress: Pick<ProgressService, 'overview' | 'campaign' | 'unit' | 'guidance'>;
  results: Pick<ResultsService, 'ranking' | 'scores'>;
  exports: Pick<ExportService, 'resultsPdf'>;
  drafts: Pick<DraftService, 'find'>;
  steps: { survey: Pick<StepService['survey'], 'progress'> };
  surveyAnswers: Pick<SurveyAnswerService, 'points'>;
  notifications: Pick<NotificationService, 'inbox' | 'policy' | 'reminderLog'>;
  frameworks: Pick<FrameworkService, 'list' | 'get'>;
  evidence: { service: Pick<EvidenceService, 'list'> };
  /** Absent in apps built without it: no page of parked changes. */
  parkedChanges?: Pick<ParkedChangeService, 'list' | 'count'>;
  /** Absent in apps built without the notification services: the unit page then shows no contacts. */
  contacts?: Pick<ContactService, 'list'>;
  /** Absent in apps built without account management: no accounts page. */
  accounts?: Pick<AccountService, 'list' | 'knownUnits' | 'auditLog'>;
  /** Absent in apps built without the organisation directory: no directory page, and accounts tie to units only. */
  organisations?: Pick<OrganisationService, 'list'>;
}

/** The bulk onboarding import (organisations, units, accounts), offered on the accounts page when the app serves it. */
const ONBOARDING = { importUrl: '/onboarding/import', templateUrl: '/onboarding/template.xlsx' };
const ACCOUNT_AUDIT_ROWS = 50;

/** The action forms' script (web/static/forms.js), read once: it is a file of its own so that it is linted as browser code. */
const FORMS_SCRIPT = readFileSync(new URL('./static/forms.js', import.meta.url), 'utf8');

/** The unit's contacts when the contact service lets the actor read them (its rule alone decides), otherwise none to show. */
async function readableContacts(contacts: Pick<ContactService, 'list'>, actor: Actor, unitCode: string) {
  try {
    return await contacts.list(actor, unitCode);
  } catch (error) {
    if (error instanceof ForbiddenError) return undefined;
    throw error;
  }
}

/** Who reads the public results page: nobody signed in, with the public role's rights. */
const VISITOR = VISITOR_ACTOR;

const campaignIdSchema = z.string().regex(CAMPAIGN_ID_PATTERN);
const unitCodeSchema = z.string().regex(UNIT_CODE_PATTERN);
const UNITS_PER_PAGE = 200;

/** Filters from the query string; a value the form never offers is ignored rather than refused. */
const filtersSchema = z.object({
  group: z.string().regex(/^[a-z0-9_-]{1,40}$/).optional().catch(undefined),
  stage: z.enum(UNIT_STAGES).optional().catch(undefined),
  status: z.enum(PROGRESS_STATUSES).optional().catch(undefined),
  offset: z.coerce.number().int().min(0).optional().catch(undefined),
});

/** The reminder log's filters; a unit code may be typed in lower case, and a value the form never offers is ignored. */
const reminderLogFilterSchema = z.object({
  unit: z.string().trim().toUpperCase().pipe(unitCodeSchema).optional().catch(undefined),
  status: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
});
const LOG_ROWS = 200;
const eventLogQuerySchema = z.object({
  unit: reminderLogFilterSchema.shape.unit,
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/** The accounts page's filters; a value the form never offers is ignored. */
const accountFilterSchema = z.object({
  unit: reminderLogFilterSchema.shape.unit,
  role: z.enum(ROLES).optional().catch(undefined),
  organisation: reminderLogFilterSchema.shape.unit,
});

/** The directory page's filter; a kind the form never offers is ignored. */
const organisationFilterSchema = z.object({ kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined) });

/** Where a page sends the person next (the login page's and the password page's `next`): a dashboard address only. */
const nextSchema = z.object({ next: z.string().startsWith('/dashboard').max(500).optional().catch(undefined) });

const PAGE = { config: { access: 'public' as const }, schema: { hide: true } };

/**
 * A page for signed-in users: public to the auth hook, so that a visitor is sent to the login page
 * instead of a 401, with the access it applies itself declared as data (`config.page`, checked by
 * signedIn below and read by the authorization test).
 */
function page(access: RouteAccess) {
  return { config: { access: 'public' as const, page: access }, schema: { hide: true } };
}

function send(reply: FastifyReply, page: Html, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);
}

function statusOf(error: AppError): number {
  return STATUS_BY_ERROR.get(error.constructor as new () => AppError) ?? 500;
}

export function dashboardRoutes(deps: DashboardDeps): FastifyPluginAsync {
  return async (app) => {
    // An outage met before a page renders (the session check reads Postgres in the auth hook)
    // is answered as a page too; every other error goes on to the API's handler.
    app.setErrorHandler((error, request, reply) => {
      const outage = outageOf(error);
      if (!outage) throw error;
      request.log.warn({ err: loggableFailure(error) }, 'dependency unavailable');
      reply.header('retry-after', String(outage.retryAfterSeconds));
      return send(reply, errorPage(request.actor ?? null, statusOf(outage), outage.messageVi), statusOf(outage));
    });
    /** Runs a page for a signed-in actor: no login → the login page; a service refusal → an error page. */
    function signedIn(render: (actor: Actor, request: FastifyRequest) => Promise<Html>) {
      return async (request: FastifyRequest, reply: FastifyReply) => {
        const actor = request.actor;
        if (!actor) return reply.redirect(`/dashboard/login?next=${encodeURIComponent(request.url)}`);
        try {
          const access = request.routeOptions.config.page;
          if (access !== undefined && access !== 'signed-in' && access !== 'public') assertRoleMayEver(actor, access);
          return send(reply, await render(actor, request));
        } catch (error) {
          // An outage of the database or of Temporal: the same 503 and Retry-After as the API, as a page.
          const outage = outageOf(error);
          if (outage) {
            request.log.warn({ err: loggableFailure(error) }, 'dependency unavailable');
            reply.header('retry-after', String(outage.retryAfterSeconds));
          }
          const refusal = outage ?? error;
          if (refusal instanceof AppError) return send(reply, errorPage(actor, statusOf(refusal), refusal.messageVi), statusOf(refusal));
          throw error;
        }
      };
    }

    function params<T extends z.ZodRawShape>(request: FastifyRequest, shape: T): z.infer<z.ZodObject<T>> {
      const parsed = z.object(shape).safeParse(request.params);
      if (!parsed.success) throw new NotFoundError('not_found', 'Địa chỉ không hợp lệ', 'Invalid address');
      return parsed.data;
    }

    /** The ranking before the council, as the units its decision may return. */
    async function councilCandidatesOf(actor: Actor, campaign: { id: string; groupNames: Record<string, string> }): Promise<CouncilCandidates> {
      const ranking = await deps.results.ranking(actor, campaign.id);
      return { groups: ranking.groups.map((group) => ({ nameVi: campaign.groupNames[group.code] ?? group.code, units: group.units })) };
    }

    app.get('/dashboard/assets/app.css', PAGE, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(STYLESHEET),
    );
    app.get('/dashboard/assets/app.js', PAGE, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(SCRIPT),
    );

    app.get('/dashboard/assets/forms.js', PAGE, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(FORMS_SCRIPT),
    );

    app.get('/dashboard/login', PAGE, async (request, reply) => {
      const next = nextSchema.parse(request.query).next ?? '/dashboard';
      return send(reply, loginPage(next, request.actor ? `Bạn đang đăng nhập với tài khoản ${request.actor.id}.` : undefined));
    });

    app.get(
      '/dashboard',
      page('signed-in'),
      signedIn(async (actor) => {
        const campaigns = await deps.campaigns.list(actor);
        const latest = campaigns[0];
        if (actor.role !== 'admin') return campaignListPage(actor, campaigns);
        const frameworks = await deps.frameworks.list();
        const parked = deps.parkedChanges ? await deps.parkedChanges.count(actor) : 0;
        if (!latest) return campaignListPage(actor, campaigns, { library: { frameworks } }, parked);
        // One read of the latest campaign serves both forms: its header starts the successor, its definition the library form.
        const source = await deps.campaigns.get(latest.id, actor);
        return campaignListPage(actor, campaigns, {
          successor: { campaigns, latest: source, frameworks },
          library: { frameworks, latest: { id: source.id, year: source.year, definition: source.definition as CampaignDefinition } },
        }, parked);
      }),
    );

    app.get(
      '/dashboard/frameworks',
      page('framework.read'),
      signedIn(async (actor) => {
        authorize(actor, 'framework.read');
        return frameworksPage(actor, await deps.frameworks.list());
      }),
    );

    app.get(
      '/dashboard/frameworks/:code',
      page('framework.read'),
      signedIn(async (actor, request) => {
        authorize(actor, 'framework.read');
        const { code } = params(request, { code: z.string().min(1).max(100) });
        const { version } = z.object({ version: z.coerce.number().int().positive().optional().catch(undefined) }).parse(request.query);
        return frameworkPage(actor, await deps.frameworks.get(code, version));
      }),
    );

    app.get(
      PASSWORD_PAGE,
      page('signed-in'),
      signedIn(async (actor, request) => {
        const next = nextSchema.parse(request.query).next;
        // Back to the page itself would only show the form again.
        const go = next && !next.startsWith(PASSWORD_PAGE) ? next : '/dashboard';
        return passwordPage(actor, { forced: request.session?.mustChangePassword === true, next: go });
      }),
    );

    const { accounts, organisations } = deps;
    if (accounts) {
      app.get(
        '/dashboard/accounts',
        page('accounts.manage'),
        signedIn(async (actor, request) => {
          const filter = accountFilterSchema.parse(request.query);
          const [rows, units, directory, audit] = await Promise.all([
            accounts.list(actor, { unitCode: filter.unit, organisationCode: filter.organisation, role: filter.role }),
            accounts.knownUnits(actor),
            // Disabled ones too: an account may still name one; only active ones are offered.
            organisations ? organisations.list(actor, { includeDisabled: true }) : [],
            accounts.auditLog(actor, { limit: ACCOUNT_AUDIT_ROWS }),
          ]);
          const onboarding = app.hasRoute({ method: 'POST', url: ONBOARDING.importUrl }) ? ONBOARDING : undefined;
          return accountsPage(actor, { accounts: rows, units, organisations: directory, filter, audit, now: Date.now(), ...(onboarding ? { onboarding } : {}) });
        }),
      );
    }

    if (organisations) {
      app.get(
        '/dashboard/organisations',
        page('organisations.read'),
        signedIn(async (actor, request) => {
          const filter = organisationFilterSchema.parse(request.query);
          const manages = holds(actor, 'organisations.manage');
          // The admin sees the disabled ones, to enable them again; the others read the directory in use.
          const rows = await organisations.list(actor, { ...(filter.kind ? { kind: filter.kind } : {}), includeDisabled: manages });
          return organisationsPage(actor, { organisations: rows, filter, manages });
        }),
      );
    }

    const { parkedChanges } = deps;
    if (parkedChanges) {
      app.get(
        '/dashboard/parked-changes',
        page('projection.repair'),
        signedIn(async (actor) => parkedChangesPage(actor, await parkedChanges.list(actor))),
      );
    }

    app.get(
      '/dashboard/inbox',
      page('inbox.read'),
      signedIn(async (actor) => inboxPage({ actor, inbox: await deps.notifications.inbox(actor, { limit: 100 }) })),
    );

    app.get(
      '/dashboard/campaigns/:campaignId',
      page('campaign.read'),
      signedIn(async (actor, request) => {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const { offset, ...filters } = filtersSchema.parse(request.query);
        const campaign = await deps.progress.campaign(actor, campaignId);
        const councilCandidates = actor.role === 'council' && campaign.stage === 'council' ? await councilCandidatesOf(actor, campaign) : undefined;
        const reminderPolicy = actor.role === 'admin' && campaign.stage !== 'published' ? await deps.notifications.policy(actor, campaignId) : undefined;
        try {
          const [overview, guidance] = await Promise.all([
            deps.progress.overview(actor, campaignId, filters, { limit: UNITS_PER_PAGE, offset: offset ?? 0 }),
            campaign.stage === 'guidance' ? deps.progress.guidance(actor, campaignId) : undefined,
          ]);
          return campaignPage({ actor, campaign, overview, filters, ...(guidance ? { guidance } : {}), ...(councilCandidates ? { councilCandidates } : {}), ...(reminderPolicy ? { reminderPolicy } : {}) });
        } catch (error) {
          if (!(error instanceof ForbiddenError)) throw error;
          return campaignPage({ actor, campaign, overview: null, refusedVi: error.messageVi, filters });
        }
      }),
    );

    app.get(
      '/dashboard/campaigns/:campaignId/units/:unitCode',
      page('unit.read'),
      signedIn(async (actor, request) => {
        const { campaignId, unitCode } = params(request, { campaignId: campaignIdSchema, unitCode: unitCodeSchema });
        const detail = await deps.progress.unit(actor, campaignId, unitCode);
        const target = { campaignId, unitCode };
        const [draft, uploads, contacts] = await Promise.all([
          writesSelfAssessment(actor, detail.unit) ? deps.drafts.find(actor, target) : null,
          deps.evidence.service.list(actor, target),
          deps.contacts ? readableContacts(deps.contacts, actor, unitCode) : undefined,
        ]);
        const extras = { draft: draft && { draft: draft.draft, savedAt: draft.savedAt }, uploads, ...(contacts ? { contacts } : {}) };
        try {
          return unitPage({ actor, detail, scores: await deps.results.scores(actor, campaignId, unitCode), ...extras });
        } catch (error) {
          if (!(error instanceof ForbiddenError)) throw error;
          return unitPage({ actor, detail, scores: null, scoresRefusedVi: error.messageVi, ...extras });
        }
      }),
    );

    app.get(
      '/dashboard/campaigns/:campaignId/survey',
      page('survey.read'),
      signedIn(async (actor, request) => {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const campaign = await deps.progress.campaign(actor, campaignId);
        const [survey, points] = await Promise.all([deps.steps.survey.progress(campaignId, actor), deps.surveyAnswers.points(campaignId, actor)]);
        return surveyPage({ actor, campaign, survey, points });
      }),
    );

    app.get(
      '/dashboard/campaigns/:campaignId/reminders',
      page('reminders.read'),
      signedIn(async (actor, request) => {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const filter = reminderLogFilterSchema.parse(request.query);
        const campaign = await deps.progress.campaign(actor, campaignId);
        const log = await deps.notifications.reminderLog(actor, { campaignId, unitCode: filter.unit, status: filter.status, limit: LOG_ROWS });
        return reminderLogPage(actor, { campaign, filter, log, limit: LOG_ROWS });
      }),
    );

    app.get(
      '/dashboard/campaigns/:campaignId/events',
      page('campaign.events'),
      signedIn(async (actor, request) => {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const { unit, before } = eventLogQuerySchema.parse(request.query);
        const campaign = await deps.progress.campaign(actor, campaignId);
        const events = await deps.campaigns.eventPage(campaignId, actor, { unitCode: unit, beforeId: before, limit: LOG_ROWS });
        return eventLogPage(actor, { campaign, unit, events, limit: LOG_ROWS });
      }),
    );

    app.get(
      '/dashboard/campaigns/:campaignId/ranking',
      page('results.read'),
      signedIn(async (actor, request) => {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const campaign = await deps.progress.campaign(actor, campaignId);
        const ranking = await deps.results.ranking(actor, campaignId);
        return rankingPage({
          actor,
          campaign,
          ranking,
          downloads: [
            { href: `/campaigns/${campaignId}/results.xlsx`, label: 'Tải phụ lục Excel' },
            { href: `/campaigns/${campaignId}/results.pdf`, label: 'Tải phụ lục PDF' },
          ],
        });
      }),
    );

    // The public results page: no login. The results service decides, as for a signed-in public user.
    app.get('/dashboard/public/:campaignId', PAGE, async (request, reply) => {
      try {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const ranking = await deps.results.ranking(VISITOR, campaignId);
        const campaign = await deps.progress.campaign(VISITOR, campaignId);
        return send(
          reply,
          rankingPage({
            actor: request.actor,
            campaign,
            ranking,
            downloads: [
              { href: `/campaigns/${campaignId}/results.xlsx`, label: 'Tải phụ lục Excel' },
              { href: `/dashboard/public/${campaignId}/results.pdf`, label: 'Tải phụ lục PDF' },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Unpublished results are not a secret's existence to confirm: the same answer as an unknown campaign.
        return send(reply, messagePage(request.actor, 'Kết quả chưa công bố', 'Kết quả của đợt đánh giá này chưa được công bố.'), 404);
      }
    });

    app.get('/dashboard/public/:campaignId/results.pdf', PAGE, async (request, reply) => {
      try {
        const { campaignId } = params(request, { campaignId: campaignIdSchema });
        const { pass, bytes } = await deps.exports.resultsPdf(VISITOR, campaignId);
        return reply
          .type('application/pdf')
          .header('content-disposition', attachment(`ket-qua-${campaignId}-lan-${pass}.pdf`))
          .send(Buffer.from(bytes));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return send(reply, messagePage(request.actor, 'Kết quả chưa công bố', 'Kết quả của đợt đánh giá này chưa được công bố.'), 404);
      }
    });
  };
}

import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import type { CampaignService } from '../../application/services/campaigns';
import type { FrameworkService } from '../../application/services/frameworks';
import type { ResultsService } from '../../application/services/results';
import { createStepService } from '../../application/services/steps';
import type { AuthService } from '../../application/auth/service';
import { bearer, bearerAs, TEST_API_SETTINGS, testTokens } from '../helpers/auth';
import type { UnitProgress } from '../../contracts/messages';

/**
 * The step routes over a fake Temporal client: what reaches the workflow (the
 * workflow ID, the update, the payload with its actor, the update ID), and how
 * the HTTP side answers, without a server. The integration test runs the same
 * routes against the real workflows.
 */

interface Call {
  workflowId: string;
  update: string;
  args: unknown[];
  updateId?: string;
}

const unitProgress: UnitProgress = {
  campaignId: 'par-2019-hn',
  unitCode: 'STP',
  groupCode: 'department',
  stage: 'explanations',
  status: 'pending',
  flags: [],
  selfAssessmentDue: '2020-01-15T23:59:59+07:00',
  explanationsDue: '2020-02-24T23:59:59+07:00',
  submittedAt: '2020-01-10T03:00:00.000Z',
  appraisedAreas: { round1: ['1'], round2: [] },
  round2Areas: [],
  explanationRequests: [],
  pass: 1,
};

function fakeTemporal(answer: (call: Call) => unknown) {
  const calls: Call[] = [];
  const temporal = {
    workflow: {
      getHandle: (workflowId: string) => ({
        executeUpdate: async (def: { name: string }, options: { args: unknown[]; updateId?: string }) => {
          const call = { workflowId, update: def.name, args: options.args, updateId: options.updateId };
          calls.push(call);
          return answer(call);
        },
        query: async () => answer({ workflowId, update: 'query', args: [] }),
      }),
    },
    withDeadline: (_deadline: number, call: () => Promise<unknown>) => call(),
  } as unknown as Pick<Client, 'workflow' | 'withDeadline'>;
  return { temporal, calls };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The read model knows no campaign: the services' scope checks then leave the decision to the (fake) workflow. */
const noReadModel = { findContributors: async () => null, findStage: async () => null, findUnit: async () => null };

async function appWith(answer: (call: Call) => unknown) {
  const { temporal, calls } = fakeTemporal(answer);
  app = await buildApp({ logger: false, services: { campaigns: {} as CampaignService, steps: createStepService({ temporal, campaigns: noReadModel, citations: { assertCitable: async () => {} } }), frameworks: {} as FrameworkService, results: {} as ResultsService, auth: {} as AuthService },
    // No token is revoked in these route tests; revocation has its own integration test (authorization.test.ts).
    security: { tokens: testTokens, sessions: { isRevoked: async () => false }, secureCookie: false, corsOrigins: TEST_API_SETTINGS.CORS_ORIGINS, rateLimitMax: TEST_API_SETTINGS.RATE_LIMIT_MAX },
  });
  return { app, calls };
}

const unitHeaders = await bearer({ id: 'nguyenvana', role: 'unit', unitCode: 'STP' });

describe('step routes', () => {
  it('sends the body with the caller as actor to the unit workflow and answers its progress', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const requestId = 'par-2019-hn/unit-STP/r1-3-12-0';
    const response = await app.inject({
      method: 'POST',
      url: `/campaigns/par-2019-hn/units/STP/explanations/${encodeURIComponent(requestId)}/answer`,
      headers: unitHeaders,
      payload: { note: 'Đã bổ sung quyết định' },
    });
    expect(response.statusCode).toBe(200);
    // The workflow's progress, respelt for the wire (api/wire/unit.ts).
    expect(response.json()).toEqual({
      campaign_id: 'par-2019-hn',
      unit_code: 'STP',
      group_code: 'department',
      stage: 'explanations',
      status: 'pending',
      flags: [],
      self_assessment_due: '2020-01-15T23:59:59+07:00',
      explanations_due: '2020-02-24T23:59:59+07:00',
      submitted_at: '2020-01-10T03:00:00.000Z',
      appraised_areas: { round1: ['1'], round2: [] },
      round2_areas: [],
      explanation_requests: [],
      pass: 1,
    });
    expect(calls).toEqual([
      {
        workflowId: 'par-2019-hn/unit-STP',
        update: 'answerExplanation',
        args: [{ note: 'Đã bổ sung quyết định', evidence: [], requestId, actor: { id: 'nguyenvana', role: 'unit', unitCode: 'STP' } }],
        // No key sent: one is made up, so that a 503 can name the key to retry with.
        updateId: expect.stringMatching(/^answerExplanation\/[0-9a-f-]{36}$/),
      },
    ]);
  });

  it('uses the Idempotency-Key, prefixed by the update name, as the Temporal update ID', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/units/STP/self-assessment',
      headers: { ...unitHeaders, 'idempotency-key': 'a1b2c3' },
      payload: { approved_by: 'Giám đốc', scores: [{ code: '1.1.1', input: { kind: 'boolean', value: true } }] },
    });
    expect(response.statusCode).toBe(200);
    expect(calls[0]?.updateId).toBe('submitSelfAssessment/a1b2c3');
  });

  it('hands the workflow the snake_case body in its own camelCase spelling', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/units/STP/self-assessment',
      headers: unitHeaders,
      payload: {
        approved_by: 'Giám đốc',
        scores: [
          { code: '1.1.1', input: { kind: 'percent', percent_centi: 9050 } },
          { code: '1.1.2', input: { kind: 'points', points_centi: 75 }, note: 'Theo biên bản' },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(calls[0]?.args).toEqual([
      {
        approvedBy: 'Giám đốc',
        scores: [
          { code: '1.1.1', input: { kind: 'percent', percentCenti: 9050 }, evidence: [], note: '' },
          { code: '1.1.2', input: { kind: 'points', pointsCenti: 75 }, evidence: [], note: 'Theo biên bản' },
        ],
        actor: { id: 'nguyenvana', role: 'unit', unitCode: 'STP' },
      },
    ]);
  });

  it('refuses the camelCase spelling of a field with 400 naming the snake_case one', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/units/STP/self-assessment',
      headers: unitHeaders,
      payload: { approvedBy: 'Giám đốc', scores: [{ code: '1.1.1', input: { kind: 'percent', percentCenti: 9050 } }] },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['body.approved_by']));
    expect(calls).toHaveLength(0);
  });

  it('names the fields of a workflow refusal as the caller spelt them', async () => {
    const { app } = await appWith(() => {
      const failure = ApplicationFailure.create({
        type: 'invalid',
        message: 'No unit XYZ',
        details: [{ message_vi: 'Không có đơn vị XYZ', message_en: 'No unit XYZ', issues: [{ path: ['returns', 0, 'unitCode'], code: 'unknown_unit', message_vi: 'Không có đơn vị XYZ', message_en: 'No unit XYZ' }] }],
        nonRetryable: true,
      });
      throw new WorkflowUpdateFailedError('Workflow Update failed', failure);
    });
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/council-decisions',
      headers: await bearerAs('council'),
      payload: { decision: 'return', members_present: 7, votes_for: 5, returns: [{ unit_code: 'XYZ', areas: ['1'], reason: 'Thiếu minh chứng' }] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([expect.objectContaining({ path: ['returns', 0, 'unit_code'], code: 'unknown_unit' })]);
  });

  it('refuses a caller without a valid token with 401 before looking at the body', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const forged = (await bearer({ id: 'x', role: 'admin' })).authorization!.slice(0, -2) + 'xx';
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: forged }, { 'x-actor-role': 'admin' }]) {
      const response = await app.inject({ method: 'POST', url: '/campaigns/par-2019-hn/guidance', headers, payload: { nonsense: true } });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'unauthenticated' });
      expect(response.json().message_vi).toContain('POST /auth/login');
    }
    expect(calls).toHaveLength(0);
  });

  it('answers 400 with the field path for a body that breaks the step contract, without calling the workflow', async () => {
    const { app, calls } = await appWith(() => unitProgress);
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/deadlines',
      headers: await bearerAs('admin', 'SNV'),
      payload: { key: 'not_a_deadline', deadline: '2020-02-30', reason: 'x' },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['body.key', 'body.deadline']));
    expect(calls).toHaveLength(0);
  });

  it('answers a workflow refusal with its status, code and both messages', async () => {
    const { app } = await appWith(() => {
      const failure = ApplicationFailure.create({
        type: 'past_deadline',
        message: 'The self-assessment deadline has passed',
        details: [{ message_vi: 'Đã hết hạn tự đánh giá', message_en: 'The self-assessment deadline has passed', issues: [] }],
        nonRetryable: true,
      });
      throw new WorkflowUpdateFailedError('Workflow Update failed', failure);
    });
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/units/STP/self-assessment',
      headers: unitHeaders,
      payload: { approved_by: 'Giám đốc', scores: [{ code: '1.1.1', input: { kind: 'boolean', value: true } }] },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      error: 'past_deadline',
      message_vi: 'Đã hết hạn tự đánh giá',
      message_en: 'The self-assessment deadline has passed',
      request_id: response.headers['x-request-id'],
    });
  });

  it('answers 404 for the progress of a unit whose workflow does not exist', async () => {
    const { app } = await appWith(() => {
      throw new WorkflowNotFoundError('workflow not found', 'par-2019-hn/unit-XYZ', undefined);
    });
    const response = await app.inject({ method: 'GET', url: '/campaigns/par-2019-hn/units/XYZ/progress', headers: await bearerAs('coordinator') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'unit_not_found' });
  });

  it('accepts opening fieldwork with no body and sends an empty step to the survey workflow', async () => {
    const { app, calls } = await appWith(() => ({
      campaignId: 'par-2019-hn',
      status: 'fieldwork_open',
      plan: null,
      planReviews: [],
      fieldworkOpenedAt: '2019-12-16T01:00:00.000Z',
      fieldworkClosedAt: null,
      acceptedAt: null,
      unitsCovered: 0,
    }));
    const response = await app.inject({
      method: 'POST',
      url: '/campaigns/par-2019-hn/survey/fieldwork/open',
      headers: await bearer({ id: 'vien.khaosat', role: 'institute' }),
    });
    expect(response.statusCode).toBe(200);
    expect(calls[0]).toMatchObject({ workflowId: 'par-2019-hn/survey', update: 'openFieldwork', args: [{ actor: { id: 'vien.khaosat', role: 'institute' } }] });
  });

  it('lists every step route in the OpenAPI document', async () => {
    const { app } = await appWith(() => unitProgress);
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/campaigns/{campaignId}/guidance',
        '/campaigns/{campaignId}/guidance/publish',
        '/campaigns/{campaignId}/kickoff',
        '/campaigns/{campaignId}/deadlines',
        '/campaigns/{campaignId}/council-decisions',
        '/campaigns/{campaignId}/publication',
        '/campaigns/{campaignId}/units/{unitCode}/self-assessment',
        '/campaigns/{campaignId}/units/{unitCode}/appraisals',
        '/campaigns/{campaignId}/units/{unitCode}/explanations/{requestId}/answer',
        '/campaigns/{campaignId}/units/{unitCode}/progress',
        '/campaigns/{campaignId}/survey/plan',
        '/campaigns/{campaignId}/survey/plan/review',
        '/campaigns/{campaignId}/survey/fieldwork/open',
        '/campaigns/{campaignId}/survey/fieldwork/close',
        '/campaigns/{campaignId}/survey/results',
        '/campaigns/{campaignId}/survey',
      ]),
    );
    const headers = document.paths['/campaigns/{campaignId}/guidance'].post.parameters
      .filter((parameter: { in: string }) => parameter.in === 'header')
      .map((parameter: { name: string }) => parameter.name);
    expect(headers).toEqual(expect.arrayContaining(['idempotency-key']));
    // The token is the bearer security scheme (OpenAPI drops an Authorization header parameter); login needs none.
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.security).toEqual(expect.arrayContaining([{ bearerAuth: [] }]));
    expect(document.paths['/auth/login'].post.security).toEqual([]);
  });
});

import type { CampaignDefinition } from '../../domain/campaign';
import type { FrameworkGroup } from '../../domain/framework';
import { reminderPolicySchema } from '../../domain/reminders';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { until } from './processes';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a step is sent again while the API answers 503 or does not answer (a killed worker or API, a restarting server). */
const STEP_RETRY_MS = 120_000;

class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * A small Hanoi 2019 campaign (two units per group) driven through the HTTP API
 * of a running system, each actor logged in as its seeded user, in the order of
 * test/integration/helpers/campaign-driver.ts. One 2019 day lasts a minute, so
 * no deadline passes while the twin runs. Every accepted step is remembered with
 * the event it must leave in the campaign's log, exactly once.
 */

type Headers = Record<string, string>;
const DOC = { name: 'huong-dan-cham-diem.pdf', ref: 'file-huong-dan' };

export interface AcceptedStep {
  step: string;
  action: string;
  unit_code: string | null;
}

export interface CampaignEvent {
  action: string;
  unit_code: string | null;
}

/** One answer (or a failure to get one) as the client saw it, for a caller that counts them (scripts/faults.ts). */
export interface ObservedAnswer {
  method: string;
  path: string;
  /** HTTP status; null when no answer came (connection refused or reset). */
  status: number | null;
  retryAfter: string | null;
  /** The step's Idempotency-Key: every attempt of one step carries the same. */
  idempotencyKey: string | null;
  error: string | null;
  sentAt: number;
  answeredAt: number;
}

export interface HttpCampaignOptions {
  api: string;
  password: string;
  slug: string;
  /** Units kept of each group of the 2019 framework (default 2). */
  unitsPerGroup?: number;
  /** When set: one reminder e-mail per contact falls due at this instant (epoch ms) for the self-assessment, no escalation. */
  reminderAt?: number;
  observe?: (answer: ObservedAnswer) => void;
}

export function createHttpCampaign(options: HttpCampaignOptions) {
  const { api, password } = options;
  const timeline = shiftTimeline(HANOI_2019_TIMELINE, Date.now(), 60_000);
  const reminders =
    options.reminderAt === undefined
      ? undefined
      : { enabled: true, before: [`PT${Math.floor((Date.parse(timeline.self_assessment_due) - options.reminderAt) / 1000)}S`], escalation: { enabled: false } };
  const definition: CampaignDefinition = hanoi2019Campaign({ slug: options.slug, unitsPerGroup: options.unitsPerGroup ?? 2, timeline });
  if (reminders) definition.settings = { ...definition.settings, reminders: reminderPolicySchema.parse(reminders) };
  const campaignId = `par-2019-${options.slug}`;
  const unitCodes = definition.units.map((unit) => unit.code);
  const accepted: AcceptedStep[] = [];
  const sessions = new Map<string, Promise<Headers>>();

  async function request<T>(method: 'GET' | 'POST', path: string, headers: Headers, body?: unknown): Promise<T> {
    const sentAt = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${api}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      text = await response.text();
    } catch (error) {
      options.observe?.({ method, path, status: null, retryAfter: null, idempotencyKey: headers['idempotency-key'] ?? null, error: String((error as Error).cause ?? error), sentAt, answeredAt: Date.now() });
      throw new RequestError(`${method} ${path} → no answer: ${String((error as Error).cause ?? error)}`, null, 1);
    }
    options.observe?.({ method, path, status: response.status, retryAfter: response.headers.get('retry-after'), idempotencyKey: headers['idempotency-key'] ?? null, error: null, sentAt, answeredAt: Date.now() });
    if (!response.ok) throw new RequestError(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`, response.status, Number(response.headers.get('retry-after') ?? '1'));
    return JSON.parse(text) as T;
  }

  /** Whether the same request may be sent again: the API answered 503/504 or did not answer at all (its process away). */
  const retryable = (error: unknown): error is RequestError => error instanceof RequestError && (error.status === null || error.status === 503 || error.status === 504);

  /**
   * A step sent as a client should: with an Idempotency-Key, and again with the same key
   * after a 503 (a worker or the server away: the API answers within its bound and names
   * the key) or when no answer came, so the step is applied once however often it is sent.
   */
  async function sendStep<T>(path: string, headers: Headers, body: unknown): Promise<T> {
    const key = randomUUID();
    const giveUpAt = Date.now() + STEP_RETRY_MS;
    for (;;) {
      try {
        return await request<T>('POST', path, { ...headers, 'idempotency-key': key }, body);
      } catch (error) {
        // No answer at all: the API process itself was away (killed, restarting); the same key again is safe.
        if (!retryable(error) || Date.now() > giveUpAt) throw error;
        await delay(error.retryAfterSeconds * 1000);
      }
    }
  }

  /** POST /auth/login once per user (again while the API is away); the bearer token is reused. */
  function as(username: string): Promise<Headers> {
    let session = sessions.get(username);
    if (!session) {
      session = (async () => {
        const giveUpAt = Date.now() + STEP_RETRY_MS;
        for (;;) {
          try {
            const { token } = await request<{ token: string }>('POST', '/auth/login', {}, { username, password });
            return { authorization: `Bearer ${token}` };
          } catch (error) {
            if (!retryable(error) || Date.now() > giveUpAt) throw error;
            await delay(error.retryAfterSeconds * 1000);
          }
        }
      })();
      sessions.set(username, session);
    }
    return session;
  }
  const admin = () => as('snv.admin');
  const unitUser = (code: string) => as(code.toLowerCase());

  async function step<T>(username: Promise<Headers>, path: string, body: unknown, expect: Omit<AcceptedStep, 'step'>): Promise<T> {
    const result = await sendStep<T>(path, await username, body);
    accepted.push({ step: `POST ${path}`, ...expect });
    return result;
  }

  const groupOf = (code: string): FrameworkGroup => definition.framework.groups[definition.units.find((unit) => unit.code === code)!.group]!;
  const unitPath = (code: string) => `/campaigns/${campaignId}/units/${code}`;
  const progress = async () => request<{ stage: string; units_started: number }>('GET', `/campaigns/${campaignId}/progress`, await admin());
  const unitStage = async (code: string) => (await request<{ stage: string }>('GET', `${unitPath(code)}/progress`, await admin())).stage;

  const survey = `/campaigns/${campaignId}/survey`;
  const institute = () => as('vien.khaosat');
  /** The survey up to its fieldwork closed: plan, approval, fieldwork opened and closed. */
  async function surveyFieldwork() {
    await until('the survey workflow', async () => (await request('GET', survey, await admin())) ?? undefined);
    await step(institute(), `${survey}/plan`, { document: { name: 'ke-hoach-251.pdf', ref: 'file-251' }, summary: 'Kế hoạch 251/KH-UBND' }, { action: 'survey_plan_submitted', unit_code: null });
    await step(admin(), `${survey}/plan/review`, { approve: true }, { action: 'survey_plan_approved', unit_code: null });
    await step(institute(), `${survey}/fieldwork/open`, {}, { action: 'survey_fieldwork_opened', unit_code: null });
    await step(institute(), `${survey}/fieldwork/close`, {}, { action: 'survey_fieldwork_closed', unit_code: null });
  }
  async function surveyResults() {
    const points = unitCodes.map((unitCode, index) => ({ unit_code: unitCode, points_centi: 2400 + index * 75 }));
    await step(institute(), `${survey}/results`, { points, source: 'kiểm thử' }, { action: 'survey_results_accepted', unit_code: null });
  }

  return {
    campaignId,
    unitCodes,
    accepted,
    progress,
    /** The appraisers' first look at each area of the unit (the appraisal's first round), one step per area, in any order. */
    areaAppraisals(code: string): (() => Promise<void>)[] {
      const group = groupOf(code);
      return group.areas.map((area) => async () => {
        await step(admin(), `${unitPath(code)}/appraisals`, { round: 1, area_code: area.code, scores: scoresToWire(areaAppraisal(group, area.code)), explanation_requests: [] }, {
          action: 'area_appraised_round_1',
          unit_code: code,
        });
      });
    },

    async start() {
      await step(admin(), '/campaigns', definition, { action: 'campaign_started', unit_code: null });
      await step(admin(), `/campaigns/${campaignId}/guidance/publish`, { document: DOC, note: 'Hướng dẫn chấm điểm năm 2019' }, { action: 'guidance_published', unit_code: null });
      await until('the unit workflows', async () => ((await progress()).units_started === unitCodes.length ? true : undefined));
    },

    async submitSelfAssessment(code: string) {
      await step(unitUser(code), `${unitPath(code)}/self-assessment`, { approved_by: 'Thủ trưởng đơn vị', scores: scoresToWire(fullSelfAssessment(groupOf(code))) }, {
        action: 'self_assessment_submitted',
        unit_code: code,
      });
    },

    async completeSurvey() {
      await surveyFieldwork();
      await surveyResults();
    },
    surveyFieldwork,
    surveyResults,

    /** Round 1 of every area as Sở Nội vụ; with `explain`, one question, the unit's answer, and round 2 of that area. */
    async appraise(code: string, explain = false) {
      const group = groupOf(code);
      let question: { id: string } | undefined;
      for (const area of group.areas) {
        const scores = scoresToWire(areaAppraisal(group, area.code));
        const explanationRequests = explain && area === group.areas[0] ? [{ code: scores[0]!.code, question: 'Đề nghị bổ sung văn bản ban hành kế hoạch' }] : [];
        const result = await step<{ explanation_requests: { id: string }[] }>(
          admin(),
          `${unitPath(code)}/appraisals`,
          { round: 1, area_code: area.code, scores, explanation_requests: explanationRequests },
          { action: 'area_appraised_round_1', unit_code: code },
        );
        if (explanationRequests.length) question = result.explanation_requests[0];
      }
      if (!question) return;
      await until(`${code} in explanations`, async () => ((await unitStage(code)) === 'explanations' ? true : undefined));
      await step(
        unitUser(code),
        `${unitPath(code)}/explanations/${encodeURIComponent(question.id)}/answer`,
        { note: 'Đã bổ sung Quyết định số 12/QĐ-UBND', evidence: [{ name: 'quyet-dinh-12.pdf', ref: 'file-qd-12' }] },
        { action: 'explanation_answered', unit_code: code },
      );
      await until(`${code} in appraisal round 2`, async () => ((await unitStage(code)) === 'appraisal_round_2' ? true : undefined));
      const first = group.areas[0]!;
      await step(admin(), `${unitPath(code)}/appraisals`, { round: 2, area_code: first.code, scores: scoresToWire(areaAppraisal(group, first.code, {}, 'Giải trình hợp lý')), explanation_requests: [] }, {
        action: 'area_appraised_round_2',
        unit_code: code,
      });
    },

    async waitForStage(stage: string, timeoutMs = 180_000) {
      await until(`the campaign stage ${stage}`, async () => ((await progress()).stage === stage ? true : undefined), timeoutMs);
    },

    async approveAndPublish() {
      const base = `/campaigns/${campaignId}`;
      await step(as('hoidong.thanhvien'), `${base}/council-decisions`, { decision: 'approve', members_present: 9, votes_for: 9, note: 'Thông qua' }, { action: 'council_approved', unit_code: null });
      await step(admin(), `${base}/publication`, { decision_number: '1752/QĐ-UBND', decision_date: '2020-04-29' }, { action: 'results_published', unit_code: null });
    },

    /** Uploads one evidence file as the unit (multipart, as the dashboard does); answers its id. */
    async uploadEvidence(code: string, content: Uint8Array): Promise<{ id: string; sha256: string }> {
      const form = new FormData();
      form.append('file', new Blob([content], { type: 'application/pdf' }), 'bien-ban.pdf');
      const response = await fetch(`${api}${unitPath(code)}/evidence`, { method: 'POST', headers: await unitUser(code), body: form });
      if (response.status !== 201) throw new Error(`evidence upload → ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string; sha256: string };
    },

    async downloadEvidence(id: string): Promise<Uint8Array> {
      const response = await fetch(`${api}/evidence/${id}`, { headers: await admin() });
      if (!response.ok) throw new Error(`evidence download → ${response.status}: ${await response.text()}`);
      return new Uint8Array(await response.arrayBuffer());
    },

    /** The read model's view of the campaign (GET /campaigns/:id), as the dashboard reads it. */
    async readModelStage() {
      return (await request<{ stage: string }>('GET', `/campaigns/${campaignId}`, await admin())).stage;
    },

    async events() {
      return request<CampaignEvent[]>('GET', `/campaigns/${campaignId}/events`, await admin());
    },
  };
}

/** Accepted steps whose event is missing or appears more than once, as readable lines (empty when all is well). */
export function eventLogMismatches(accepted: AcceptedStep[], events: CampaignEvent[]): string[] {
  const key = (entry: { action: string; unit_code: string | null }) => `${entry.action} ${entry.unit_code ?? '(campaign)'}`;
  const expected = new Map<string, number>();
  for (const entry of accepted) expected.set(key(entry), (expected.get(key(entry)) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const event of events) if (expected.has(key(event))) seen.set(key(event), (seen.get(key(event)) ?? 0) + 1);
  return [...expected].filter(([name, count]) => seen.get(name) !== count).map(([name, count]) => `${name}: ${count} accepted, ${seen.get(name) ?? 0} in the event log`);
}

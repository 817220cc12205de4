import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { CampaignDefinition } from '../../../domain/campaign';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment } from '../../../seed/scores';
import { scoresToWire } from '../../../api/wire/unit';
import { bearerAs } from '../../helpers/auth';
import { farTimeline } from './deadlines';
import { uniqueSlug } from './stack';
import { eventually } from './wait';

/**
 * Drives a small Hanoi 2019 campaign (two units per group: SNV, VP,
 * QUAN_BA_DINH, QUAN_HOAN_KIEM) through the step endpoints, as each role would,
 * with tokens signed by the test key. The 2019 calendar runs in real days from
 * now (helpers/deadlines.ts farTimeline), so no deadline passes during a test
 * however slow the machine; a test that wants one to pass moves it through the
 * route. For the dashboard and export tests, which need a campaign in a given
 * stage rather than to test the steps themselves.
 */

type Headers = Record<string, string>;
const DOC = { name: 'huong-dan-cham-diem.pdf', ref: 'file-huong-dan' };

export interface DrivenCampaign {
  campaignId: string;
  definition: CampaignDefinition;
  unitCodes: string[];
}

/** An explanation request in a unit's round 1: in which area (default its first), and the reason round 2 gives when it restores the points. */
export interface Explanation {
  areaCode?: string;
  round2Reason?: string;
}

/** Where a test wants its campaign: units already submitted, and the units whose appraisal asks a question. */
export interface CouncilOptions {
  submitted?: string[];
  explain?: Record<string, true | Explanation>;
}

export function createCampaignDriver(app: FastifyInstance) {
  const as = {
    admin: bearerAs('admin', 'SNV', 'snv.admin'),
    institute: bearerAs('institute', undefined, 'vien.khaosat'),
    council: bearerAs('council', undefined, 'hoidong.thanhvien'),
  };

  async function post(url: string, payload: unknown, headers: Headers | Promise<Headers>) {
    const response = await app.inject({ method: 'POST', url, payload: payload as object, headers: await headers });
    expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    return response;
  }

  async function liveStage(campaignId: string) {
    const response = await app.inject({ method: 'GET', url: `/campaigns/${campaignId}/progress`, headers: await as.admin });
    return response.statusCode === 200 ? (response.json() as { stage: string; units_started: number }) : undefined;
  }

  const groupOf = (campaign: DrivenCampaign, unitCode: string) =>
    campaign.definition.framework.groups[campaign.definition.units.find((unit) => unit.code === unitCode)!.group]!;

  return {
    /**
     * Creates the campaign, still in its guidance stage. `msPerDay` scales the 2019
     * timeline (default: a real day, deadlines months away);
     * `year` replaces 2019 (the latest year is the one the dashboard's new-campaign forms start from).
     */
    async createCampaign(options: { msPerDay?: number; year?: number; unitsPerGroup?: number } = {}): Promise<DrivenCampaign> {
      const slug = uniqueSlug('ui');
      const timeline = options.msPerDay === undefined ? farTimeline() : shiftTimeline(HANOI_2019_TIMELINE, Date.now(), options.msPerDay);
      const definition = { ...hanoi2019Campaign({ slug, unitsPerGroup: options.unitsPerGroup ?? 2, timeline }), ...(options.year ? { year: options.year } : {}) };
      const campaignId = `par-${definition.year}-${slug}`;
      await post('/campaigns', definition, as.admin);
      return { campaignId, definition, unitCodes: definition.units.map((unit) => unit.code) };
    },

    async waitForUnits(campaign: DrivenCampaign) {
      await eventually(async () => (await liveStage(campaign.campaignId))?.units_started === campaign.unitCodes.length, 60_000, 'the unit workflows to start');
    },

    /** Creates the campaign and publishes the guidance: every unit is then in self-assessment. */
    async openCampaign(options: { msPerDay?: number; year?: number; unitsPerGroup?: number } = {}): Promise<DrivenCampaign> {
      return this.openGuidance(await this.createCampaign(options));
    },

    /** Publishes the guidance of a campaign created elsewhere (a successor, a later year) and waits for its units. */
    async openGuidance(campaign: DrivenCampaign): Promise<DrivenCampaign> {
      await post(`/campaigns/${campaign.campaignId}/guidance/publish`, { document: DOC, note: 'Hướng dẫn chấm điểm năm 2019' }, as.admin);
      await this.waitForUnits(campaign);
      return campaign;
    },

    async submitSelfAssessment(campaign: DrivenCampaign, unitCode: string) {
      await post(
        `/campaigns/${campaign.campaignId}/units/${unitCode}/self-assessment`,
        { approved_by: 'Thủ trưởng đơn vị', scores: scoresToWire(fullSelfAssessment(groupOf(campaign, unitCode))) },
        bearerAs('unit', unitCode, unitCode.toLowerCase()),
      );
    },

    /**
     * Appraises every area of the unit in round 1 (as Sở Nội vụ). With `explain`, one
     * area also asks for an explanation, which the unit answers; round 2 then closes it.
     */
    async appraise(campaign: DrivenCampaign, unitCode: string, explain: boolean | Explanation = false) {
      if (!explain) {
        await this.appraiseRound1(campaign, unitCode, false);
        return;
      }
      const request = await this.appraiseRound1(campaign, unitCode, explain);
      await post(
        `/campaigns/${campaign.campaignId}/units/${unitCode}/explanations/${encodeURIComponent(request!.id)}/answer`,
        { note: 'Đã bổ sung Quyết định số 12/QĐ-UBND ngày 20/12/2019', evidence: [{ name: 'quyet-dinh-12.pdf', ref: 'file-qd-12' }] },
        bearerAs('unit', unitCode, unitCode.toLowerCase()),
      );
      await this.closeRound2(campaign, unitCode, explain === true ? {} : explain);
    },

    /**
     * Round 1 of every area (but those in `except`, left to a test's contributor); with `explain`,
     * one area (default the first) asks one question and this waits until the unit may answer it.
     */
    async appraiseRound1(campaign: DrivenCampaign, unitCode: string, explain: boolean | Explanation, except: string[] = []) {
      const group = groupOf(campaign, unitCode);
      const base = `/campaigns/${campaign.campaignId}/units/${unitCode}`;
      const asking = explain ? ((explain === true ? undefined : explain.areaCode) ?? group.areas[0]!.code) : undefined;
      let request;
      for (const area of group.areas.filter((candidate) => !except.includes(candidate.code))) {
        const scores = scoresToWire(areaAppraisal(group, area.code));
        const explanationRequests = area.code === asking ? [{ code: scores[0]!.code, question: 'Đề nghị bổ sung văn bản ban hành kế hoạch cải cách hành chính' }] : [];
        const response = await post(`${base}/appraisals`, { round: 1, area_code: area.code, scores, explanation_requests: explanationRequests }, as.admin);
        if (area.code === asking) request = (response.json() as { explanation_requests: { id: string }[] }).explanation_requests[0];
      }
      if (!asking) return undefined;
      const unit = bearerAs('unit', unitCode, unitCode.toLowerCase());
      await eventually(
        async () => (await app.inject({ method: 'GET', url: `${base}/progress`, headers: await unit })).json().stage === 'explanations',
        30_000,
        'the explanations stage',
      );
      return request;
    },

    /** Round 2 of one area (default the first), restoring its points with `round2Reason`: after the unit's answer, or an area the council returned. */
    async closeRound2(campaign: DrivenCampaign, unitCode: string, explanation: Explanation = {}) {
      const group = groupOf(campaign, unitCode);
      const base = `/campaigns/${campaign.campaignId}/units/${unitCode}`;
      const unit = bearerAs('unit', unitCode, unitCode.toLowerCase());
      await eventually(
        async () => (await app.inject({ method: 'GET', url: `${base}/progress`, headers: await unit })).json().stage === 'appraisal_round_2',
        30_000,
        'appraisal round 2',
      );
      const areaCode = explanation.areaCode ?? group.areas[0]!.code;
      const scores = scoresToWire(areaAppraisal(group, areaCode, {}, explanation.round2Reason ?? 'Giải trình hợp lý'));
      await post(`${base}/appraisals`, { round: 2, area_code: areaCode, scores, explanation_requests: [] }, as.admin);
    },

    /** Survey plan → fieldwork → results for every unit, as the institute (Sở Nội vụ approves the plan). */
    async completeSurvey(campaign: DrivenCampaign) {
      const base = `/campaigns/${campaign.campaignId}/survey`;
      await eventually(async () => (await app.inject({ method: 'GET', url: base, headers: await as.admin })).statusCode === 200, 30_000, 'the survey workflow');
      await post(`${base}/plan`, { document: { name: 'ke-hoach-251.pdf', ref: 'file-251' }, summary: 'Kế hoạch 251/KH-UBND' }, as.institute);
      await post(`${base}/plan/review`, { approve: true }, as.admin);
      await post(`${base}/fieldwork/open`, {}, as.institute);
      await post(`${base}/fieldwork/close`, {}, as.institute);
      const points = campaign.unitCodes.map((unitCode, index) => ({ unit_code: unitCode, points_centi: 2400 + index * 75 }));
      await post(`${base}/results`, { points, source: 'kiểm thử' }, as.institute);
    },

    async waitForStage(campaign: DrivenCampaign, stage: string, timeoutMs = 90_000) {
      await eventually(async () => (await liveStage(campaign.campaignId))?.stage === stage, timeoutMs, `the campaign stage ${stage}`);
    },

    /**
     * From self-assessment to the council: every unit submits (but those `submitted` already),
     * the survey is completed, every unit is appraised (those in `explain` after a question and its answer).
     */
    async reachCouncil(campaign: DrivenCampaign, options: CouncilOptions = {}) {
      for (const code of campaign.unitCodes.filter((code) => !options.submitted?.includes(code))) await this.submitSelfAssessment(campaign, code);
      await this.completeSurvey(campaign);
      for (const code of campaign.unitCodes) await this.appraise(campaign, code, options.explain?.[code] ?? false);
      await this.waitForStage(campaign, 'council');
    },

    /** The council approves and Sở Nội vụ publishes under Decision 1752/QĐ-UBND. */
    async approveAndPublish(campaign: DrivenCampaign) {
      await post(`/campaigns/${campaign.campaignId}/council-decisions`, { decision: 'approve', members_present: 9, votes_for: 9, note: 'Thông qua' }, as.council);
      await post(`/campaigns/${campaign.campaignId}/publication`, { decision_number: '1752/QĐ-UBND', decision_date: '2020-04-29' }, as.admin);
      await eventually(
        async () => (await app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}`, headers: await as.admin })).json().stage === 'published',
        60_000,
        'the published campaign in the read model',
      );
    },
  };
}

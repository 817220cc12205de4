import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { groupAverageIndexCenti } from '../../domain/scoring';
import { authHeaders, resolveActor, resolveReader } from '../actor';
import { campaignIdSchema, errorResponseSchema, positiveIntParam, unitCodeSchema } from '../schemas';
import type { ResultsService } from '../../application/services/results';
import { attachment } from '../../http/attachment';
import { respelt } from '../../application/wire-keys';
import { scoreInputToWire, scoreInputWire } from '../wire/unit';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const campaignParams = z.object({ campaignId: campaignIdSchema });
const unitParams = campaignParams.extend({ unitCode: unitCodeSchema });
const passQuery = z.object({ pass: positiveIntParam().optional() });
const errors = { 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

const rankedUnit = z.object({
  unit_code: z.string(),
  name_vi: z.string(),
  assessed_centi: z.number(),
  survey_centi: z.number().nullable(),
  bonus_centi: z.number(),
  penalty_centi: z.number(),
  total_centi: z.number(),
  index_centi: z.number().meta({ description: 'Chỉ số × 100, e.g. 8693 = 86,93%' }),
  rank: z.number(),
  classification: z.string().nullable(),
  flags: z.array(z.string()),
  previous_rank: z.number().nullable().meta({ description: 'Xếp hạng năm trước (cùng mã đơn vị); null: đơn vị mới hoặc không có năm trước / Last year’s rank; null for a new unit or without a predecessor' }),
  previous_index_centi: z.number().nullable().meta({ description: 'Chỉ số năm trước × 100 / Last year’s index × 100' }),
  rank_change: z.number().nullable().meta({ description: 'Số bậc tăng (dương) hoặc giảm (âm) trong nhóm / Places gained (positive) or lost (negative) within the group' }),
  index_change_centi: z.number().nullable().meta({ description: 'Chỉ số năm nay − năm trước, × 100 / This index − last year’s, × 100' }),
  rank_change_vi: z.string().nullable().meta({ description: '"tăng 3 bậc", "giảm 1 bậc", "giữ nguyên", "mới", "chuyển nhóm"; null without a predecessor' }),
  index_change_vi: z.string().nullable().meta({ description: '"+2,15 điểm", "−0,40 điểm", "mới"; null without a predecessor' }),
});
const resultsResponse = z.object({
  pass: z.number(),
  published: z.boolean(),
  computed_at: z.string(),
  previous_campaign: z
    .object({ id: z.string(), year: z.number(), name_vi: z.string() })
    .nullable()
    .meta({ description: 'Đợt năm trước đã công bố mà kết quả được so sánh / Last year’s published campaign the ranking is compared with; null when none' }),
  groups: z.array(
    z.object({
      code: z.string(),
      average_index_centi: z.number().nullable().meta({ description: 'Chỉ số trung bình của nhóm × 100 / The group average index × 100' }),
      units: z.array(rankedUnit),
    }),
  ),
});
const scoreCell = z
  .object({ input: scoreInputWire, points_centi: z.number(), note: z.string(), evidence: z.array(z.object({ name: z.string(), ref: z.string() })), set_by: z.string(), set_at: z.string() })
  .nullable();

/** Aggregated results, the per-unit explanation of every number, score sheets and the results workbook. */
export function resultsRoutes(service: ResultsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns/:campaignId/results',
      {
        config: { access: 'results.read' },
        schema: {
          summary: 'Kết quả xếp hạng theo nhóm / Ranking per unit group',
          tags: ['results'],
          headers: authHeaders,
          params: campaignParams,
          querystring: passQuery,
          response: { 200: resultsResponse, ...errors },
        },
      },
      async (request) => {
        const results = await service.ranking(resolveReader(request), request.params.campaignId, request.query.pass);
        return {
          pass: results.pass,
          published: results.published,
          computed_at: toVietnamIso(results.computedAt.getTime()),
          previous_campaign: results.previous && { id: results.previous.id, year: results.previous.year, name_vi: results.previous.nameVi },
          groups: results.groups.map((group) => ({
            code: group.code,
            average_index_centi: groupAverageIndexCenti(group.units.map((unit) => unit.indexCenti)) ?? null,
            units: group.units.map((unit) => ({
              unit_code: unit.unitCode,
              name_vi: unit.nameVi,
              assessed_centi: unit.assessedCenti,
              survey_centi: unit.surveyCenti,
              bonus_centi: unit.bonusCenti,
              penalty_centi: unit.penaltyCenti,
              total_centi: unit.totalCenti,
              index_centi: unit.indexCenti,
              rank: unit.rank,
              classification: unit.classification,
              flags: unit.flags as string[],
              previous_rank: unit.change?.previousRank ?? null,
              previous_index_centi: unit.change?.previousIndexCenti ?? null,
              rank_change: unit.change?.rankChange ?? null,
              index_change_centi: unit.change?.indexChangeCenti ?? null,
              rank_change_vi: unit.change?.rankChangeVi ?? null,
              index_change_vi: unit.change?.indexChangeVi ?? null,
            })),
          })),
        };
      },
    );

    app.get(
      '/campaigns/:campaignId/results.xlsx',
      {
        config: { access: 'results.read' },
        schema: {
          summary: 'Phụ lục kết quả (Excel) / The results annex as an Excel workbook',
          tags: ['results'],
          headers: authHeaders,
          params: campaignParams,
          querystring: passQuery,
        },
      },
      async (request, reply) => {
        const { pass, bytes } = await service.workbook(resolveReader(request), request.params.campaignId, request.query.pass);
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`ket-qua-${request.params.campaignId}-lan-${pass}.xlsx`))
          .send(Buffer.from(bytes));
      },
    );

    app.get(
      '/campaigns/:campaignId/units/:unitCode/explanation',
      {
        config: { access: 'unit.read' },
        schema: {
          summary: 'Giải thích từng con số của một đơn vị / Every number behind one unit’s index',
          tags: ['results'],
          headers: authHeaders,
          params: unitParams,
          querystring: passQuery,
          response: {
            200: z.object({
              pass: z.number(),
              published: z.boolean(),
              explanation: z.record(z.string(), z.unknown()).meta({ description: 'Mọi con số và nguồn gốc / every number and where it came from (domain/scoring/explain.ts, respelt snake_case)' }),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const found = await service.explanation(resolveActor(request), request.params.campaignId, request.params.unitCode, request.query.pass);
        return { ...found, explanation: respelt(found.explanation) as Record<string, unknown> };
      },
    );

    app.get(
      '/campaigns/:campaignId/units/:unitCode/scores',
      {
        config: { access: 'unit.read' },
        schema: {
          summary: 'Điểm từng tiêu chí thành phần: tự chấm, thẩm định vòng 1, vòng 2 / Scores per sub-criterion in three columns',
          tags: ['results'],
          headers: authHeaders,
          params: unitParams,
          response: { 200: z.array(z.object({ subcriterion_code: z.string(), self: scoreCell, round1: scoreCell, round2: scoreCell })), ...errors },
        },
      },
      async (request) => {
        const lines = await service.scores(resolveActor(request), request.params.campaignId, request.params.unitCode);
        const cell = (value: (typeof lines)[number]['self']) =>
          value && {
            input: scoreInputToWire(value.input),
            points_centi: value.pointsCenti,
            note: value.note,
            evidence: value.evidence,
            set_by: value.setBy,
            set_at: toVietnamIso(value.setAt.getTime()),
          };
        return lines.map((line) => ({ subcriterion_code: line.subcriterionCode, self: cell(line.self), round1: cell(line.round1), round2: cell(line.round2) }));
      },
    );
  };
}

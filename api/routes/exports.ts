import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authHeaders, resolveActor, resolveReader } from '../actor';
import { campaignIdSchema, positiveIntParam } from '../schemas';
import type { ExportService } from '../../application/services/exports';
import { progressFiltersQuery } from './progress';
import { attachment } from '../../http/attachment';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const campaignParams = z.object({ campaignId: campaignIdSchema });

/** The progress workbook and the results annex as a PDF. */
export function exportRoutes(service: ExportService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns/:campaignId/progress.xlsx',
      {
        config: { access: 'campaign.progress' },
        schema: {
          summary: 'Báo cáo tiến độ (Excel), cùng bộ lọc với bảng đơn vị / The progress report as an Excel workbook',
          tags: ['progress'],
          headers: authHeaders,
          params: campaignParams,
          querystring: progressFiltersQuery,
        },
      },
      async (request, reply) => {
        const { bytes } = await service.progressWorkbook(resolveActor(request), request.params.campaignId, request.query);
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`tien-do-${request.params.campaignId}.xlsx`))
          .send(Buffer.from(bytes));
      },
    );

    app.get(
      '/campaigns/:campaignId/results.pdf',
      {
        config: { access: 'results.read' },
        schema: {
          summary: 'Phụ lục kết quả (PDF, phông chữ Unicode) / The results annex as a PDF',
          tags: ['results'],
          headers: authHeaders,
          params: campaignParams,
          querystring: z.object({ pass: positiveIntParam().optional() }),
        },
      },
      async (request, reply) => {
        const { pass, bytes } = await service.resultsPdf(resolveReader(request), request.params.campaignId, request.query.pass);
        return reply
          .type('application/pdf')
          .header('content-disposition', attachment(`ket-qua-${request.params.campaignId}-lan-${pass}.pdf`))
          .send(Buffer.from(bytes));
      },
    );
  };
}

import type { Actor } from '../../domain/actors';
import { formatDateTimeVi, formatDateVi } from '../../domain/deadlines';
import { decisionCitationVi, verificationLineVi } from '../../domain/results-decision';
import { PROGRESS_STATUS_LABEL_VI, PROGRESS_STATUSES } from '../../domain/progress';
import { previousYearCaptionVi } from '../../domain/scoring';
import { UNIT_FLAG_LABEL_VI, UNIT_STAGE_LABEL_VI, UNIT_STAGES } from '../../domain/units';
import type { ProgressFilters } from '../../db/repositories/progress';
import { exportProgressWorkbook, type ProgressSummaryRow } from '../../formats/progress-workbook';
import { exportResultsPdf } from '../../formats/results-pdf';
import type { ProgressService } from './progress';
import type { ResultsService } from './results';

export interface ExportServiceDeps {
  progress: Pick<ProgressService, 'fullTable'>;
  results: Pick<ResultsService, 'annex'>;
  now: () => number;
}

/**
 * The progress workbook and the results annex as a PDF. Who
 * may download them is decided by the services that own the data: the progress
 * service (campaign.progress) and the results service (the ranking before and
 * after publication); this one only lays the answer out.
 */
export function createExportService({ progress, results, now }: ExportServiceDeps) {
  return {
    async progressWorkbook(actor: Actor, campaignId: string, filters: ProgressFilters) {
      const { campaign, asOf, counted, units } = await progress.fullTable(actor, campaignId, filters);
      const summary: ProgressSummaryRow[] = UNIT_STAGES.map((stage) => {
        const counts = PROGRESS_STATUSES.map((status) => counted.find((row) => row.stage === stage && row.status === status)?.units ?? 0);
        return {
          stageVi: UNIT_STAGE_LABEL_VI[stage],
          counts: counts as unknown as ProgressSummaryRow['counts'],
          total: counts.reduce((sum, value) => sum + value, 0),
        };
      });
      const filterText = [
        filters.group && `nhóm ${campaign.groupNames[filters.group] ?? filters.group}`,
        filters.stage && `giai đoạn ${UNIT_STAGE_LABEL_VI[filters.stage]}`,
        filters.status && `tình trạng ${PROGRESS_STATUS_LABEL_VI[filters.status]}`,
      ].filter(Boolean);
      const bytes = await exportProgressWorkbook({
        titleVi: `Tiến độ Chỉ số cải cách hành chính năm ${campaign.year}: ${campaign.nameVi}`,
        subtitleVi: `Số liệu lúc ${formatDateTimeVi(asOf.getTime())}${filterText.length ? ` · lọc theo ${filterText.join(', ')}` : ''}`,
        summary,
        units: units.map((unit) => ({
          unitCode: unit.unitCode,
          nameVi: unit.nameVi,
          groupVi: unit.groupNameVi,
          stageVi: UNIT_STAGE_LABEL_VI[unit.stage],
          statusVi: PROGRESS_STATUS_LABEL_VI[unit.status],
          lastActivity: unit.lastActivityAt ? formatDateTimeVi(unit.lastActivityAt.getTime()) : '',
          nextDeadlineVi: unit.nextDeadline?.labelVi ?? '',
          nextDeadlineDate: unit.nextDeadline ? formatDateVi(unit.nextDeadline.at.getTime()) : '',
          daysLeft: unit.nextDeadline?.daysLeft ?? null,
          notesVi: unit.flags.map((flag) => UNIT_FLAG_LABEL_VI[flag]).join('; '),
        })),
      });
      return { bytes, asOf };
    },

    async resultsPdf(actor: Actor, campaignId: string, pass?: number) {
      const { campaign, results: ranking, groups } = await results.annex(actor, campaignId, pass);
      const citation = ranking.published ? decisionCitationVi(campaign) : undefined;
      const subtitle = citation ? `(Kèm theo ${citation})` : `(Dự thảo — chưa công bố; kết quả tổng hợp lần ${ranking.pass})`;
      const bytes = await exportResultsPdf({
        year: campaign.year,
        title_vi: campaign.nameVi,
        subtitle_vi: subtitle,
        groups,
        footer_vi: [verificationLineVi(ranking.published ? campaign.verificationDigest : null), `Xuất lúc ${formatDateTimeVi(now())}`].filter(Boolean).join(' · '),
        ...(ranking.previous ? { compared_with_vi: previousYearCaptionVi(ranking.previous) } : {}),
      });
      return { pass: ranking.pass, bytes };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;

/**
 * The main track of a campaign, in the order of Plan 245/KH-UBND (26-11-2019).
 * The survey runs beside it as its own track (survey.ts) and joins at aggregation.
 */
export const CAMPAIGN_STAGES = [
  'guidance',
  'self_assessment',
  'appraisal_round_1',
  'explanations',
  'appraisal_round_2',
  'aggregation',
  'council',
  'publication',
  'published',
] as const;

export type CampaignStage = (typeof CAMPAIGN_STAGES)[number];

export const STAGE_LABEL_VI: Record<CampaignStage, string> = {
  guidance: 'Hướng dẫn chấm điểm',
  self_assessment: 'Tự đánh giá, chấm điểm',
  appraisal_round_1: 'Thẩm định vòng 1',
  explanations: 'Giải trình',
  appraisal_round_2: 'Thẩm định vòng 2',
  aggregation: 'Tổng hợp kết quả',
  council: 'Hội đồng thẩm định',
  publication: 'Công bố kết quả',
  published: 'Đã công bố',
};

export function stageIndex(stage: CampaignStage): number {
  return CAMPAIGN_STAGES.indexOf(stage);
}

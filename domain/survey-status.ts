/** Where the sociological survey track stands: the institute's plan, its approval, the fieldwork, the accepted results. */
export const SURVEY_STATUSES = ['awaiting_plan', 'plan_submitted', 'plan_approved', 'fieldwork_open', 'fieldwork_closed', 'accepted'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/** What a person reads for each status (dashboard, event log, refusals). */
export const SURVEY_STATUS_LABEL_VI: Record<SurveyStatus, string> = {
  awaiting_plan: 'Chờ Viện nộp kế hoạch điều tra',
  plan_submitted: 'Kế hoạch điều tra chờ Sở Nội vụ duyệt',
  plan_approved: 'Kế hoạch đã duyệt, chưa mở khảo sát',
  fieldwork_open: 'Đang khảo sát',
  fieldwork_closed: 'Đã kết thúc khảo sát, chờ nộp kết quả',
  accepted: 'Kết quả điều tra đã được tiếp nhận',
};

export const SURVEY_STATUS_LABEL_EN: Record<SurveyStatus, string> = {
  awaiting_plan: 'waiting for the institute’s survey plan',
  plan_submitted: 'plan waiting for approval',
  plan_approved: 'plan approved, fieldwork not open',
  fieldwork_open: 'fieldwork open',
  fieldwork_closed: 'fieldwork closed, results not submitted',
  accepted: 'results accepted',
};

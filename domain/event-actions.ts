/**
 * The event log's actions as a province reads them: each change the workflows record
 * (domain/effects.ts) told in Vietnamese on the event log and the parked-changes pages.
 * An action without a label reads as a generic change there.
 */
export const ACTION_LABEL_VI: Record<string, string> = {
  campaign_started: 'Khởi tạo đợt đánh giá',
  stage_changed: 'Chuyển giai đoạn',
  guidance_submitted: 'Gửi hướng dẫn lĩnh vực',
  guidance_published: 'Công bố hướng dẫn tổng hợp',
  kickoff_recorded: 'Ghi nhận hội nghị triển khai',
  deadline_moved: 'Điều chỉnh thời hạn',
  deadline_extension_granted: 'Sở Nội vụ gia hạn cho đơn vị',
  deadline_extended: 'Đơn vị được áp dụng gia hạn',
  unit_opened: 'Mở tự đánh giá',
  self_assessment_submitted: 'Nộp báo cáo tự đánh giá',
  self_assessment_overdue: 'Quá hạn tự đánh giá',
  self_assessment_reopened: 'Mở lại tự đánh giá sau gia hạn',
  self_assessment_missing: 'Không nộp báo cáo tự đánh giá',
  area_appraised_round_1: 'Thẩm định lĩnh vực (vòng 1)',
  area_appraised_round_2: 'Thẩm định lĩnh vực (vòng 2)',
  appraisal_round_1_overdue: 'Quá hạn thẩm định vòng 1',
  appraisal_round_2_overdue: 'Quá hạn thẩm định vòng 2',
  explanation_answered: 'Trả lời yêu cầu giải trình',
  appraisal_finished: 'Hoàn thành thẩm định',
  survey_plan_submitted: 'Viện nộp kế hoạch điều tra',
  survey_plan_approved: 'Duyệt kế hoạch điều tra',
  survey_plan_returned: 'Trả lại kế hoạch điều tra',
  survey_fieldwork_opened: 'Mở khảo sát',
  survey_fieldwork_closed: 'Kết thúc khảo sát',
  survey_answers_imported: 'Nhập tệp phiếu khảo sát',
  survey_results_accepted: 'Tiếp nhận kết quả điều tra',
  results_aggregated: 'Tổng hợp, xếp hạng kết quả',
  council_decision: 'Quyết định của Hội đồng thẩm định',
  council_approved: 'Hội đồng thông qua kết quả',
  council_returned: 'Hội đồng trả lại kết quả',
  returned_by_council: 'Hội đồng trả lại đơn vị',
  results_published: 'Công bố kết quả',
};

import ExcelJS from 'exceljs';
import type { CampaignDefinition } from '../domain/campaign';
import { expectedHeader, LONG_COLUMNS, WIDE_FIXED_COLUMNS, surveyAnswerModel, type SurveyLayout } from '../domain/survey-answers';
import { stringify } from 'csv-stringify/sync';
import { toBytes } from './framework-workbook';
import { neutralizeFormula } from './formula-guard';

/**
 * The survey answer template the institute downloads: an instruction
 * sheet in Vietnamese, the data sheet with its header, and reference sheets
 * listing the campaign's units, questions, answer options and respondent groups.
 * The reader (survey-files.ts) reads the first sheet whose header has respondent_id.
 */

export const SURVEY_SHEET = {
  instructions: 'Hướng dẫn',
  data: 'Dữ liệu',
  units: 'Đơn vị',
  questions: 'Câu hỏi',
  options: 'Phương án trả lời',
  respondents: 'Đối tượng khảo sát',
} as const;

export function surveyTemplateHeader(definition: Pick<CampaignDefinition, 'units' | 'framework'>, layout: SurveyLayout): string[] {
  return layout === 'long' ? [...LONG_COLUMNS] : [...WIDE_FIXED_COLUMNS, ...surveyAnswerModel(definition).questionCodes];
}

export function surveyInstructionsVi(definition: Pick<CampaignDefinition, 'units' | 'framework'>, layout: SurveyLayout): string[] {
  const model = surveyAnswerModel(definition);
  const [firstUnit] = definition.units;
  const lines = [
    'MẪU NHẬP KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC — CHỈ SỐ CẢI CÁCH HÀNH CHÍNH',
    '',
    `Nhập dữ liệu vào trang "${SURVEY_SHEET.data}". Dòng 1 là tiêu đề cột, giữ nguyên; mỗi dòng tiếp theo là một ${layout === 'long' ? 'câu trả lời (một người trả lời × một đơn vị được đánh giá × một câu hỏi)' : 'phiếu (một người trả lời × một đơn vị được đánh giá), mỗi câu hỏi một cột'}.`,
    `Các cột: ${expectedHeader(model, layout)}.`,
    '• respondent_id: mã phiếu / mã người trả lời do Viện đặt; cùng một người dùng cùng một mã trên mọi dòng.',
    `• respondent_group: mã đối tượng khảo sát (xem trang "${SURVEY_SHEET.respondents}"); một người chỉ thuộc một đối tượng.`,
    `• unit_code: mã đơn vị được đánh giá (xem trang "${SURVEY_SHEET.units}").`,
    layout === 'long'
      ? `• question_code: mã câu hỏi (xem trang "${SURVEY_SHEET.questions}"); answer: mã phương án trả lời (xem trang "${SURVEY_SHEET.options}").`
      : `• Cột ${model.questionCodes.join(', ')}: mã phương án trả lời cho từng câu hỏi (xem trang "${SURVEY_SHEET.options}"); để trống nếu người trả lời không được hỏi câu đó.`,
    '• Phương án "Không có ý kiến" (không có trọng số) được lưu nhưng không tính vào điểm.',
    `Ví dụ một dòng: ${layout === 'long' ? `P0001, ${[...(model.groups.values().next().value?.respondentGroups ?? [])][0] ?? 'HDND'}, ${firstUnit?.code ?? 'STP'}, S1, A` : `P0001, HDND, ${firstUnit?.code ?? 'STP'}, A, B, C, …`}`,
    '',
    'Cách tính điểm: điểm câu hỏi = điểm tối đa × trung bình trọng số các câu trả lời hợp lệ về đơn vị, làm tròn 2 chữ số thập phân (từ 5 trở lên làm tròn lên); điểm điều tra của đơn vị = tổng điểm các câu hỏi.',
    'Khi nhập: hệ thống kiểm tra toàn bộ tệp và báo mọi lỗi kèm số dòng, cột và lý do; tệp có lỗi thì không lưu dòng nào. Nhập lại đúng tệp đã nhập không thay đổi gì; nhập một tệp khác thay thế toàn bộ dữ liệu trước đó (cho đến khi kết quả điều tra được chấp nhận).',
    'Có thể lưu thành CSV (UTF-8, dấu phẩy hoặc dấu chấm phẩy) thay cho Excel, giữ nguyên dòng tiêu đề.',
  ];
  return lines;
}

/** The .xlsx template. */
export async function createSurveyTemplateWorkbook(definition: Pick<CampaignDefinition, 'units' | 'framework'>, layout: SurveyLayout): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const instructions = workbook.addWorksheet(SURVEY_SHEET.instructions);
  instructions.getColumn(1).width = 140;
  for (const line of surveyInstructionsVi(definition, layout)) instructions.addRow([line]);
  instructions.getRow(1).font = { bold: true };

  const data = workbook.addWorksheet(SURVEY_SHEET.data, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = surveyTemplateHeader(definition, layout);
  data.columns = header.map((name, index) => ({ key: name, width: index < 3 ? 18 : 10 }));
  data.addRow(header).font = { bold: true };

  const reference = (name: string, columns: string[], rows: (string | number | null)[][]) => {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((column) => ({ key: column, width: column.endsWith('_vi') ? 70 : 16 }));
    sheet.addRow(columns).font = { bold: true };
    for (const row of rows) sheet.addRow(row);
  };
  const groups = Object.entries(definition.framework.groups);
  reference(SURVEY_SHEET.units, ['unit_code', 'name_vi', 'group_code'], definition.units.map((unit) => [unit.code, unit.name_vi, unit.group]));
  reference(
    SURVEY_SHEET.questions,
    ['group_code', 'question_code', 'text_vi', 'max_points'],
    groups.flatMap(([code, group]) => group.survey.questions.map((question) => [code, question.code, question.text_vi, question.max_points])),
  );
  reference(
    SURVEY_SHEET.options,
    ['group_code', 'answer', 'label_vi', 'weight'],
    groups.flatMap(([code, group]) => group.survey.answer_options.map((option) => [code, option.code, option.label_vi, option.weight])),
  );
  reference(
    SURVEY_SHEET.respondents,
    ['group_code', 'respondent_group', 'name_vi'],
    groups.flatMap(([code, group]) => group.survey.respondent_groups.map((respondent) => [code, respondent.code, respondent.name_vi])),
  );
  return toBytes(workbook);
}

/**
 * The .csv template: the header row only, UTF-8 with a BOM so Excel shows Vietnamese text. Written by
 * csv-stringify, every cell quoted and neutralised, so no code can add a column or a formula.
 */
export function createSurveyTemplateCsv(definition: Pick<CampaignDefinition, 'units' | 'framework'>, layout: SurveyLayout): string {
  const header = surveyTemplateHeader(definition, layout).map(neutralizeFormula);
  return `\uFEFF${stringify([header], { quoted: true, record_delimiter: 'windows' })}`;
}

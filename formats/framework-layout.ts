/**
 * The framework workbook layout, shared by export, template and import so the
 * three cannot drift apart. formats/README.md documents it for people.
 * Columns are fixed by position; row 1 of each data sheet is the header.
 */

export type LayoutColumn = { readonly key: string; readonly header: string; readonly width: number };

function columns<const K extends string>(entries: readonly (readonly [K, string, number])[]) {
  return entries.map(([key, header, width]) => ({ key, header, width }));
}

export const SHEET = {
  instructions: 'Hướng dẫn',
  meta: 'Thông tin chung',
  groups: 'Nhóm đơn vị',
  tree: 'Tiêu chí',
  tiers: 'Mức điểm',
  questions: 'Câu hỏi điều tra',
  options: 'Phương án trả lời',
  respondents: 'Đối tượng khảo sát',
  bands: 'Xếp loại',
} as const;

export type DataSheet = Exclude<keyof typeof SHEET, 'instructions'>;

export const COLUMNS = {
  meta: columns([
    ['key', 'Mục (key)', 40],
    ['value', 'Giá trị (value)', 100],
  ]),
  groups: columns([
    ['group_code', 'Mã nhóm (group_code)', 16],
    ['name_vi', 'Tên nhóm (name_vi)', 40],
    ['max_points', 'Điểm tối đa (max_points)', 14],
    ['assessed_max_points', 'Điểm thẩm định tối đa (assessed_max_points)', 18],
    ['survey_max_points', 'Điểm điều tra XHH tối đa (survey.max_points)', 18],
    ['survey_method', 'Phương pháp điều tra (survey.method)', 40],
    ['bonus_max', 'Điểm cộng tối đa (bonus_max)', 14],
    ['penalty_max', 'Điểm trừ tối đa (penalty_max)', 14],
    ['bonus_penalty_note', 'Ghi chú điểm cộng/trừ (bonus_penalty.note)', 40],
  ]),
  tree: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['level', 'Cấp (level)', 20],
    ['code', 'Mã (code)', 10],
    ['name_vi', 'Nội dung (name_vi)', 70],
    ['name_en', 'Tên tiếng Anh (name_en)', 30],
    ['max_points', 'Điểm tối đa (max_points)', 12],
    ['rule_kind', 'Quy tắc (rule.kind)', 14],
    ['rule_input', 'Loại dữ liệu nhập (rule.input)', 14],
    ['rule_step', 'Bước điểm (rule.step)', 12],
    ['owner', 'Đơn vị hướng dẫn, thẩm định (owner)', 14],
    ['evidence_required', 'Bắt buộc tài liệu kiểm chứng (evidence_required)', 16],
  ]),
  tiers: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['subcriterion_code', 'Mã tiêu chí thành phần (subcriterion_code)', 16],
    ['min', 'Ngưỡng từ % (min)', 12],
    ['points', 'Điểm (points)', 12],
  ]),
  questions: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['code', 'Mã câu hỏi (code)', 12],
    ['text_vi', 'Nội dung câu hỏi (text_vi)', 70],
    ['max_points', 'Điểm tối đa (max_points)', 12],
  ]),
  options: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['code', 'Mã phương án (code)', 12],
    ['label_vi', 'Nội dung (label_vi)', 40],
    ['weight', 'Trọng số 0..1, để trống = không tính (weight)', 18],
  ]),
  respondents: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['code', 'Mã đối tượng (code)', 12],
    ['name_vi', 'Đối tượng khảo sát (name_vi)', 50],
  ]),
  bands: columns([
    ['group_code', 'Mã nhóm (group_code)', 14],
    ['code', 'Mã xếp loại (code)', 12],
    ['name_vi', 'Tên xếp loại (name_vi)', 30],
    ['min_percent', 'Chỉ số từ % (min_percent)', 14],
  ]),
} satisfies Record<DataSheet, readonly LayoutColumn[]>;

/** Sheets an import cannot do without; the others may be left out when empty. */
export const REQUIRED_SHEETS: readonly DataSheet[] = ['meta', 'groups', 'tree'];

export const LEVEL = {
  area: 'Lĩnh vực',
  criterion: 'Tiêu chí',
  subcriterion: 'Tiêu chí thành phần',
} as const;

export type Level = keyof typeof LEVEL;

export const YES = 'Có';
export const NO = 'Không';

/** The 1-based position of a column key in its sheet. */
export function columnNumber(sheet: DataSheet, key: string): number {
  const index = COLUMNS[sheet].findIndex((column) => column.key === key);
  if (index < 0) throw new RangeError(`No column ${key} in sheet ${sheet}`);
  return index + 1;
}

/** "A", "B", … "AA": the column letter Excel shows. */
export function columnLetter(columnNumberOneBased: number): string {
  let n = columnNumberOneBased;
  let letters = '';
  while (n > 0) {
    const remainder = (n - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export const INSTRUCTIONS_VI: readonly string[] = [
  'HƯỚNG DẪN NHẬP BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH',
  '',
  'Tệp gồm các trang tính sau; dòng 1 của mỗi trang là tiêu đề cột, không sửa, không đổi thứ tự cột.',
  `• "${SHEET.meta}": mỗi dòng một mục. Bắt buộc: code (mã bộ tiêu chí), title_vi (tên). Tuỳ chọn: note; rule_kinds.<loại> (diễn giải quy tắc); scoring_settings.rescale_assessed_when_no_survey, scoring_settings.tie_break_by_assessed, scoring_settings.unscored_counts_as_zero (Có/Không).`,
  `• "${SHEET.groups}": mỗi nhóm đơn vị một dòng (ví dụ department = sở, ngành; district = quận, huyện). Điểm thẩm định tối đa + điểm điều tra XHH tối đa phải bằng điểm tối đa của nhóm.`,
  `• "${SHEET.tree}": cây tiêu chí theo thứ tự từ trên xuống: một dòng "${LEVEL.area}", tiếp theo các dòng "${LEVEL.criterion}" của lĩnh vực đó, mỗi tiêu chí theo sau là các dòng "${LEVEL.subcriterion}". Điểm tối đa của cấp trên phải bằng tổng điểm tối đa của cấp dưới; tổng các lĩnh vực bằng điểm thẩm định tối đa của nhóm.`,
  '   Quy tắc (chỉ với tiêu chí thành phần): boolean = có/không (có được điểm tối đa); tiers = theo mức % (nhập ở trang "Mức điểm"); ratio = điểm tối đa × tỷ lệ % / 100, làm tròn 2 chữ số thập phân; manual = chấm trực tiếp từ 0 đến điểm tối đa theo bước điểm (rule.step).',
  `• "${SHEET.tiers}": các mức của quy tắc tiers, mỗi mức một dòng, theo ngưỡng giảm dần (ví dụ 100% → 2 điểm; 80% → 1 điểm; dưới mức cuối được 0 điểm). Điểm của một mức không vượt điểm tối đa của tiêu chí thành phần.`,
  `• "${SHEET.questions}": câu hỏi điều tra xã hội học; tổng điểm tối đa các câu hỏi bằng điểm điều tra XHH tối đa của nhóm.`,
  `• "${SHEET.options}": phương án trả lời và trọng số từ 0 đến 1 (ví dụ A = 1; B = 0,6; C = 0,2; D = 0). Để trống trọng số với phương án "Không có ý kiến" (không tính vào điểm).`,
  `• "${SHEET.respondents}": các nhóm đối tượng được khảo sát.`,
  `• "${SHEET.bands}" (tuỳ chọn): xếp loại theo chỉ số %, theo ngưỡng giảm dần (ví dụ Tốt từ 80%, Khá từ 65%...).`,
  '',
  'Số thập phân dùng dấu phẩy hoặc dấu chấm, tối đa 2 chữ số thập phân. Cột "Bắt buộc tài liệu kiểm chứng" nhập Có hoặc Không.',
  'Khi nhập tệp, hệ thống kiểm tra toàn bộ và báo mọi lỗi kèm trang tính, dòng, cột; bộ tiêu chí có lỗi không được lưu.',
];

/**
 * The onboarding workbook's layout (organisations, assessed units and their
 * groups, accounts), shared by the template, the seed province's workbook and
 * the import so they cannot drift apart. api/README.md "Onboarding" documents
 * it for people. Row 1 of each data sheet is the header; columns are fixed by
 * position and the header is checked.
 */

function columns<const K extends string>(entries: readonly (readonly [K, string, number])[]) {
  return entries.map(([key, header, width]) => ({ key, header, width }));
}

export const ONBOARDING_SHEET = {
  instructions: 'Hướng dẫn',
  organisations: 'Tổ chức',
  units: 'Đơn vị',
  accounts: 'Tài khoản',
} as const;

export type OnboardingDataSheet = Exclude<keyof typeof ONBOARDING_SHEET, 'instructions'>;

export const ONBOARDING_COLUMNS = {
  organisations: columns([
    ['code', 'Mã tổ chức (code)', 16],
    ['name_vi', 'Tên tổ chức (name_vi)', 60],
    ['kind', 'Loại (kind)', 16],
  ]),
  units: columns([
    ['code', 'Mã đơn vị (code)', 30],
    ['name_vi', 'Tên đơn vị (name_vi)', 60],
    ['group_code', 'Mã nhóm (group_code)', 16],
    ['group_name_vi', 'Tên nhóm (group_name_vi)', 24],
  ]),
  accounts: columns([
    ['username', 'Tên đăng nhập (username)', 34],
    ['full_name', 'Họ và tên (full_name)', 30],
    ['email', 'Thư điện tử (email)', 40],
    ['unit_code', 'Mã đơn vị được đánh giá (unit_code)', 30],
    ['organisation_code', 'Mã tổ chức (organisation_code)', 20],
    ['role', 'Vai trò (role)', 14],
  ]),
} as const;

/** The 1-based column's letter (A, B, …): the place a problem is reported at. */
export function columnLetter(index: number): string {
  let letter = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letter = String.fromCharCode(65 + ((n - 1) % 26)) + letter;
  return letter;
}

export const ONBOARDING_INSTRUCTIONS: readonly string[] = [
  'Tệp nhập tổ chức, đơn vị được đánh giá và tài khoản / Onboarding workbook: organisations, assessed units, accounts',
  'Dòng 1 của mỗi trang là tiêu đề; không đổi thứ tự cột. / Row 1 of each sheet is the header; keep the columns in order.',
  `"${ONBOARDING_SHEET.organisations}": cơ quan tham gia (sở thẩm định, Viện điều tra, Hội đồng…); loại: department, survey_institute, appraisal_council, home_affairs, other.`,
  `"${ONBOARDING_SHEET.units}": đơn vị được đánh giá của tỉnh và nhóm của chúng (vd. department / Sở, ban, ngành; ward / Phường; commune / Xã).`,
  `"${ONBOARDING_SHEET.accounts}": một dòng một người; vai trò: admin, coordinator, contributor, unit, institute, council, public. Mỗi người thuộc một đơn vị hoặc một tổ chức (không cả hai); vai trò unit cần mã đơn vị, contributor cần mã đơn vị hoặc tổ chức.`,
  'Nhập lại cùng tệp không thay đổi gì; dòng mới được thêm, dòng sửa được cập nhật; dòng bị xóa khỏi tệp không bị khóa mà chỉ được báo lại.',
  'Importing the same file again changes nothing; new rows are added, changed rows updated; rows missing from the file are reported, never disabled.',
  'Mật khẩu dùng một lần của tài khoản mới chỉ trả về một lần, trong tệp kết quả nhập. / New accounts’ one-time passwords come back once, in the import’s credentials file.',
];

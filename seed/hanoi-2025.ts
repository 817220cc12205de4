import type { Framework } from '../domain/framework';
import type { AccountRow, OrganisationRow, UnitRow } from '../domain/onboarding';
import type { OnboardingContent } from '../formats/onboarding-workbook';
import sample from './framework-2019-sample.json';
import province from './hanoi-2025-two-tier.json';

/**
 * The second demo province: Hanoi after 1-7-2025, with two tiers of local
 * government. Its 21 departments (sở, ban, ngành) and its 126 communes and
 * wards (51 phường, 75 xã, seed/README.md names the source) are the assessed
 * units; the departments, Sở Nội vụ, the survey institute and the appraisal
 * council are the organisation directory; each unit has a head and a staff
 * account, each appraising department an appraiser. `onboardingContent()` is
 * the onboarding workbook's content (formats/onboarding-layout.ts), and
 * `twoTierFramework()` a criteria framework for its three groups.
 */

export const HANOI_2025 = province;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Đức', 'Thu', 'Quang', 'Ngọc', 'Thanh', 'Hữu', 'Phương'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Yến'];

/** An invented person's name, the same for the same number on every run. */
function personName(index: number): string {
  return `${FAMILY[index % FAMILY.length]} ${MIDDLE[(index * 7) % MIDDLE.length]} ${GIVEN[(index * 11) % GIVEN.length]}`;
}

const EMAIL_DOMAIN = 'hanoi.example';

export function provinceUnits(): UnitRow[] {
  const groupName = new Map(province.groups.map((group) => [group.code, group.name_vi]));
  return [...province.departments, ...province.communes_and_wards].map((unit) => ({
    code: unit.code,
    name_vi: unit.name_vi,
    group_code: unit.group,
    group_name_vi: groupName.get(unit.group)!,
  }));
}

export function provinceOrganisations(): OrganisationRow[] {
  return [
    ...province.departments.map((department) => ({
      code: department.code,
      name_vi: department.name_vi,
      kind: department.code === 'SNV' ? ('home_affairs' as const) : ('department' as const),
    })),
    ...province.organisations.map((organisation) => ({ code: organisation.code, name_vi: organisation.name_vi, kind: organisation.kind as OrganisationRow['kind'] })),
  ];
}

/** Usernames: `<unit code in lowercase>.lanhdao` and `.chuyenvien` per unit, `<department>.thamdinh` per appraiser. */
export function provinceAccounts(): AccountRow[] {
  let person = 0;
  const account = (username: string, role: AccountRow['role'], belongs: { unit_code?: string; organisation_code?: string }): AccountRow => ({
    username,
    full_name: personName(person++),
    email: `${username}@${EMAIL_DOMAIN}`,
    unit_code: belongs.unit_code ?? null,
    organisation_code: belongs.organisation_code ?? null,
    role,
  });
  return [
    account('snv.dieuphoi', 'coordinator', { organisation_code: 'SNV' }),
    ...province.appraisers.map(({ unit }) => account(`${unit.toLowerCase()}.thamdinh`, 'contributor', { organisation_code: unit })),
    account('vien.khaosat', 'institute', { organisation_code: 'VIEN' }),
    account('hoidong.chutich', 'council', { organisation_code: 'HDTD' }),
    ...provinceUnits().flatMap((unit) => [
      account(`${unit.code.toLowerCase()}.lanhdao`, 'unit', { unit_code: unit.code }),
      account(`${unit.code.toLowerCase()}.chuyenvien`, 'unit', { unit_code: unit.code }),
    ]),
  ];
}

export function onboardingContent(): OnboardingContent {
  return { organisations: provinceOrganisations(), units: provinceUnits(), accounts: provinceAccounts() };
}

/** The 2019 sample's owners that 2025's restructuring merged into another department. */
const MERGED_OWNERS: Record<string, string> = { SKHDT: 'STC', SLDTBXH: 'SNV', STTTT: 'SKHCN' };

/**
 * A framework for the three groups: the 2019 sample's department group as it
 * is, and its district group for wards and for communes (illustrative, as the
 * sample is), with owners renamed after the 2025 mergers.
 */
export function twoTierFramework(): Framework {
  const renamed = JSON.parse(JSON.stringify(sample).replace(/"owner":"(\w+)"/g, (whole, owner: string) => (MERGED_OWNERS[owner] ? `"owner":"${MERGED_OWNERS[owner]}"` : whole))) as typeof sample;
  const local = renamed.groups.district;
  return {
    ...renamed,
    code: 'PAR-2025-HAI-CAP',
    title_vi: 'Bộ chỉ số cải cách hành chính (mẫu, chính quyền địa phương hai cấp)',
    groups: {
      department: renamed.groups.department,
      ward: { ...local, name_vi: 'UBND phường' },
      commune: { ...local, name_vi: 'UBND xã' },
    },
  } as unknown as Framework;
}

import type { Changes, OnboardingIssue, OnboardingPlan, OnboardingRows, OnboardingState, Placed } from '../domain/onboarding';
import { issueAt } from './onboarding-import';
import { columnLetter, ONBOARDING_COLUMNS, ONBOARDING_SHEET, type OnboardingDataSheet } from './onboarding-layout';

export type PlanResult = { ok: true; plan: OnboardingPlan } | { ok: false; issues: OnboardingIssue[] };

function column(sheet: OnboardingDataSheet, key: string): string {
  return columnLetter(ONBOARDING_COLUMNS[sheet].findIndex((entry) => entry.key === key) + 1);
}

/** The rows after the first with the same key, each reported at its key's cell naming the first row. */
function duplicates<T>(sheet: OnboardingDataSheet, key: string, rows: Placed<T>[], keyOf: (value: T) => string | null, issues: OnboardingIssue[], what: [string, string]) {
  const first = new Map<string, number>();
  for (const { row, value } of rows) {
    const found = keyOf(value);
    if (found === null) continue;
    const earlier = first.get(found);
    if (earlier === undefined) first.set(found, row);
    else {
      issues.push(
        issueAt(ONBOARDING_SHEET[sheet], row, column(sheet, key), `duplicate_${key}`, `${what[0]} ${found} đã có ở dòng ${earlier}`, `${what[1]} ${found} is already on row ${earlier}`),
      );
    }
  }
}

function diff<T, S>(rows: Placed<T>[], stored: ReadonlyMap<string, S>, keyOf: (value: T) => string, same: (value: T, stored: S) => boolean): Changes<T> {
  const changes: Changes<T> = { create: [], update: [], unchanged: 0, absent: [] };
  const listed = new Set<string>();
  for (const { value } of rows) {
    const key = keyOf(value);
    listed.add(key);
    const current = stored.get(key);
    if (current === undefined) changes.create.push(value);
    else if (same(value, current)) changes.unchanged += 1;
    else changes.update.push(value);
  }
  changes.absent = [...stored.keys()].filter((key) => !listed.has(key)).sort();
  return changes;
}

/**
 * Compares the workbook with what is stored: every problem that would make
 * the import wrong (duplicates, unknown units, a role without its unit, an
 * e-mail another account has) is reported at its sheet, row and column, or
 * else the plan says what to create and update. Nothing stored is ever
 * disabled or removed by a workbook: what it leaves out is listed as absent.
 */
export function planOnboarding(rows: OnboardingRows, state: OnboardingState): PlanResult {
  const issues: OnboardingIssue[] = [];
  duplicates('organisations', 'code', rows.organisations, (row) => row.code, issues, ['Mã tổ chức', 'Organisation code']);
  duplicates('units', 'code', rows.units, (row) => row.code, issues, ['Mã đơn vị', 'Unit code']);
  duplicates('accounts', 'username', rows.accounts, (row) => row.username, issues, ['Tên đăng nhập', 'Username']);
  duplicates('accounts', 'email', rows.accounts, (row) => row.email, issues, ['Thư điện tử', 'E-mail']);

  // A group is named once: every row of the group gives it the same name.
  const groupNames = new Map<string, { name: string; row: number }>();
  for (const { row, value } of rows.units) {
    const first = groupNames.get(value.group_code);
    if (!first) groupNames.set(value.group_code, { name: value.group_name_vi, row });
    else if (first.name !== value.group_name_vi) {
      issues.push(
        issueAt(ONBOARDING_SHEET.units, row, column('units', 'group_name_vi'), 'group_name_differs',
          `Nhóm ${value.group_code} đã mang tên "${first.name}" ở dòng ${first.row}`,
          `Group ${value.group_code} is already named "${first.name}" on row ${first.row}`),
      );
    }
  }

  const unitCodes = new Set([...state.units.keys(), ...rows.units.map((placed) => placed.value.code)]);
  const organisationCodes = new Set([...state.organisations.keys(), ...rows.organisations.map((placed) => placed.value.code)]);
  for (const { row, value } of rows.accounts) {
    const at = (key: string, code: string, vi: string, en: string) => issues.push(issueAt(ONBOARDING_SHEET.accounts, row, column('accounts', key), code, vi, en));
    if (value.unit_code !== null && value.organisation_code !== null) {
      at('organisation_code', 'unit_and_organisation', 'Một người thuộc một đơn vị hoặc một tổ chức, không cả hai', 'An account belongs to a unit or an organisation, not both');
    }
    if (value.role === 'unit' && value.unit_code === null) {
      at('unit_code', 'unit_required', 'Vai trò unit cần mã đơn vị được đánh giá', 'Role unit needs an assessed unit code');
    }
    if (value.role === 'contributor' && value.unit_code === null && value.organisation_code === null) {
      at('organisation_code', 'unit_required', 'Vai trò contributor cần mã tổ chức (hoặc đơn vị)', 'Role contributor needs an organisation (or unit) code');
    }
    if (value.unit_code !== null && !unitCodes.has(value.unit_code)) {
      at('unit_code', 'unknown_unit', `Không có đơn vị mã ${value.unit_code} (trong tệp hay đã lưu)`, `No unit has code ${value.unit_code} (in the file or stored)`);
    }
    if (value.organisation_code !== null && !organisationCodes.has(value.organisation_code)) {
      at('organisation_code', 'unknown_organisation', `Không có tổ chức mã ${value.organisation_code} (trong tệp hay đã lưu)`, `No organisation has code ${value.organisation_code} (in the file or stored)`);
    } else if (value.organisation_code !== null && state.organisations.get(value.organisation_code)?.disabled) {
      // The workbook never enables an organisation (as it never enables an account): the directory page does.
      at('organisation_code', 'unknown_organisation', `Tổ chức ${value.organisation_code} đã ngừng hoạt động trong danh mục`, `Organisation ${value.organisation_code} is disabled in the directory`);
    }
    const owner = value.email === null ? undefined : state.emailOwners.get(value.email);
    if (owner !== undefined && owner !== value.username) {
      at('email', 'email_taken', `Thư điện tử ${value.email} đã dùng cho tài khoản ${owner}`, `E-mail ${value.email} is used by account ${owner}`);
    }
  }
  const order: string[] = [ONBOARDING_SHEET.organisations, ONBOARDING_SHEET.units, ONBOARDING_SHEET.accounts];
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => order.indexOf(a.sheet) - order.indexOf(b.sheet) || (a.row ?? 0) - (b.row ?? 0)) };

  const groups: OnboardingPlan['groups'] = { create: [], update: [] };
  for (const [code, { name }] of groupNames) {
    const stored = state.groups.get(code);
    if (stored === undefined) groups.create.push({ code, name_vi: name });
    else if (stored !== name) groups.update.push({ code, name_vi: name });
  }
  const accounts = diff(rows.accounts, state.accounts, (row) => row.username, (row, stored) =>
    row.full_name === stored.full_name && row.email === stored.email && row.unit_code === stored.unit_code && row.organisation_code === stored.organisation_code && row.role === stored.role);
  return {
    ok: true,
    plan: {
      groups,
      organisations: diff(rows.organisations, state.organisations, (row) => row.code, (row, stored) => row.name_vi === stored.name_vi && row.kind === stored.kind),
      units: diff(rows.units, state.units, (row) => row.code, (row, stored) => row.name_vi === stored.name_vi && row.group_code === stored.group_code),
      accounts: {
        ...accounts,
        disabledListed: rows.accounts.filter((row) => state.accounts.get(row.value.username)?.active === false).map((row) => row.value.username),
      },
    },
  };
}

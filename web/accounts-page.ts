import { ROLES, type Role } from '../domain/actors';
import { ROLE_LABEL_VI } from '../domain/actor-label';
import { formatDateTimeVi } from '../domain/deadlines';
import type { AccountRow, AuditRow } from '../application/views';
import { AUDIT_ACTION_LABEL_VI } from '../domain/accounts';
import type { OrganisationRow } from '../application/views';
import { formMessage } from './forms';
import { html, type Html } from './html';

/**
 * Sở Nội vụ's accounts page: the accounts filtered by unit and role, a new
 * account, and for each one its change of role, unit, name or e-mail,
 * disabling and enabling, and a password reset. Every form posts to the
 * accounts API (api/routes/accounts.ts) and shows its refusal at the field
 * (web/static/forms.js); a new or reset account's one-time password is shown
 * once, in the form that asked for it. An appraiser's account may belong to
 * an organisation of the directory instead of a unit. The bulk import of a workbook of
 * organisations, units and accounts is offered when the app serves it.
 */

export interface KnownUnit {
  code: string;
  nameVi: string;
}

export interface AccountsPageInput {
  accounts: AccountRow[];
  units: KnownUnit[];
  /** The organisation directory, disabled ones included: an account may still name one, only active ones are offered. */
  organisations: Pick<OrganisationRow, 'code' | 'nameVi' | 'disabled'>[];
  filter: { unit?: string; organisation?: string; role?: Role };
  audit: AuditRow[];
  /** The onboarding workbook's import route and its template, when the app has them. */
  onboarding?: { importUrl: string; templateUrl: string };
  now: number;
}

/** Roles an account may be given; the public reads without one. */
const ACCOUNT_ROLES = ROLES.filter((role) => role !== 'public');

function unitName(units: Map<string, string>, code: string | null): string {
  if (!code) return '—';
  return units.get(code) ?? code;
}

function roleOptions(selected: Role | undefined, blank?: string): Html {
  return html`${blank ? html`<option value="">${blank}</option>` : ''}${ACCOUNT_ROLES.map(
    (role) => html`<option value="${role}"${role === selected ? html` selected` : ''}>${ROLE_LABEL_VI[role]}</option>`,
  )}`;
}

function unitOptions(units: KnownUnit[], selected: string | null | undefined, blank: string): Html {
  // An account's unit that no campaign names yet is still offered, under its code.
  const all = selected && !units.some((unit) => unit.code === selected) ? [...units, { code: selected, nameVi: selected }] : units;
  return html`<option value="">${blank}</option>${all.map(
    (unit) => html`<option value="${unit.code}"${unit.code === selected ? html` selected` : ''}>${unit.nameVi}</option>`,
  )}`;
}

type DirectoryEntry = AccountsPageInput['organisations'][number];

function organisationOptions(organisations: DirectoryEntry[], selected: string | null | undefined, blank: string): Html {
  // A disabled organisation is offered only to the account that already names it.
  const offered = organisations.filter((organisation) => !organisation.disabled || organisation.code === selected);
  const all = selected && !offered.some((organisation) => organisation.code === selected) ? [...offered, { code: selected, nameVi: selected, disabled: false }] : offered;
  return html`<option value="">${blank}</option>${all.map(
    (organisation) =>
      html`<option value="${organisation.code}"${organisation.code === selected ? html` selected` : ''}>${organisation.nameVi}${organisation.disabled ? ' (đã ngừng)' : ''}</option>`,
  )}`;
}

/** Where the account belongs, by its Vietnamese name: its unit, else its organisation. */
function placeOf(account: AccountRow, units: Map<string, string>, organisations: Map<string, string>): string {
  if (account.organisationCode) return organisations.get(account.organisationCode) ?? account.organisationCode;
  return unitName(units, account.unitCode);
}

function statusOf(account: AccountRow, now: number): Html {
  if (!account.active) return html`<span class="badge s-overdue">Đã khóa</span>`;
  if (account.lockedUntil && account.lockedUntil.getTime() > now) {
    return html`<span class="badge s-late">Tạm khóa đến ${formatDateTimeVi(account.lockedUntil.getTime())}</span>`;
  }
  if (account.oneTimeExpiresAt) return html`<span class="badge s-draft">Chưa đặt mật khẩu riêng</span>`;
  return html`<span class="badge s-done">Đang hoạt động</span>`;
}

/** The lists the forms offer: units, and the organisations of the directory. */
interface Choices {
  units: KnownUnit[];
  organisations: DirectoryEntry[];
}

function createCard({ units, organisations }: Choices): Html {
  return html`<section class="card" data-testid="account-create">
<h2>Tạo tài khoản</h2>
<p class="sub">Tài khoản mới nhận một mật khẩu dùng một lần, hiện ra một lần ở đây; lần đăng nhập đầu tiên người dùng phải đặt mật khẩu mới. Cán bộ của đơn vị được đánh giá cần chọn đơn vị; cán bộ của cơ quan thẩm định chọn cơ quan trong danh mục (hoặc đơn vị), không chọn cả hai.</p>
<form class="row" data-json data-url="/accounts" data-credential>
<label>Tên đăng nhập<input name="username" required autocomplete="off" placeholder="nguyen.van.a"></label>
<label class="grow">Họ và tên<input name="full_name" required></label>
<label>Thư điện tử<input name="email" type="email" data-optional></label>
<label>Vai trò<select name="role">${roleOptions('unit')}</select></label>
<label>Đơn vị<select name="unit_code" data-optional>${unitOptions(units, null, '— Không thuộc đơn vị —')}</select></label>
<label>Cơ quan<select name="organisation_code" data-optional>${organisationOptions(organisations, null, '— Không thuộc cơ quan —')}</select></label>
<button class="btn" type="submit">Tạo tài khoản</button>
${formMessage}
</form>
</section>`;
}

function filterForm({ units, organisations }: Choices, filter: AccountsPageInput['filter']): Html {
  return html`<form class="filters" method="get" action="/dashboard/accounts" data-testid="account-filters">
<label>Đơn vị<select name="unit">${unitOptions(units, filter.unit, 'Tất cả')}</select></label>
<label>Cơ quan<select name="organisation">${organisationOptions(organisations, filter.organisation, 'Tất cả')}</select></label>
<label>Vai trò<select name="role">${roleOptions(filter.role, 'Tất cả')}</select></label>
<button class="btn light" type="submit">Lọc</button>
</form>`;
}

function accountActions(account: AccountRow, { units, organisations }: Choices): Html {
  const base = `/accounts/${encodeURIComponent(account.username)}`;
  return html`<div class="actions">
<form data-json data-url="${base}/reset-password" data-credential data-confirm="Cấp lại mật khẩu cho ${account.username}? Mật khẩu cũ và mọi phiên đăng nhập của tài khoản này hết hiệu lực.">
<button class="btn light" type="submit">Cấp lại mật khẩu</button>${formMessage}</form>
${
  account.active
    ? html`<form data-json data-url="${base}/disable" data-done="Đã khóa tài khoản." data-confirm="Khóa tài khoản ${account.username}? Người dùng bị đăng xuất ngay và không đăng nhập được nữa.">
<button class="btn light" type="submit">Khóa</button>${formMessage}</form>`
    : html`<form data-json data-url="${base}/enable" data-done="Đã mở lại tài khoản."><button class="btn light" type="submit">Mở lại</button>${formMessage}</form>`
}
</div>
<details><summary>Sửa vai trò, đơn vị hoặc cơ quan, họ tên</summary>
<form class="row" data-json data-method="PATCH" data-url="${base}" data-done="Đã lưu thay đổi.">
<label>Họ và tên<input name="full_name" value="${account.displayName}" required></label>
<label>Thư điện tử<input name="email" type="email" value="${account.email ?? ''}" data-optional></label>
<label>Vai trò<select name="role">${roleOptions(account.role)}</select></label>
<label>Đơn vị<select name="unit_code" data-empty-null>${unitOptions(units, account.unitCode, '— Không thuộc đơn vị —')}</select></label>
<label>Cơ quan<select name="organisation_code" data-empty-null>${organisationOptions(organisations, account.organisationCode, '— Không thuộc cơ quan —')}</select></label>
<button class="btn" type="submit">Lưu</button>
${formMessage}
</form>
</details>`;
}

function accountTable(accounts: AccountRow[], choices: Choices, now: number): Html {
  const names = new Map(choices.units.map((unit) => [unit.code, unit.nameVi]));
  const organisationNames = new Map(choices.organisations.map((organisation) => [organisation.code, organisation.nameVi]));
  if (accounts.length === 0) return html`<p class="notice" data-testid="accounts-none">Không có tài khoản nào khớp bộ lọc.</p>`;
  return html`<table data-testid="account-table"><thead><tr><th>Tên đăng nhập</th><th>Họ và tên</th><th>Thư điện tử</th><th>Vai trò</th><th>Đơn vị / cơ quan</th><th>Trạng thái</th><th>Thao tác</th></tr></thead><tbody>
${accounts.map(
  (account) => html`<tr data-account="${account.username}">
<td>${account.username}</td><td>${account.displayName}</td><td>${account.email ?? '—'}</td>
<td>${ROLE_LABEL_VI[account.role]}</td><td>${placeOf(account, names, organisationNames)}</td>
<td data-testid="account-status">${statusOf(account, now)}</td>
<td>${accountActions(account, choices)}</td>
</tr>`,
)}</tbody></table>`;
}

function importCard(url: string, template: string): Html {
  return html`<section class="card" data-testid="onboarding-import">
<h2>Nhập tổ chức, đơn vị và tài khoản từ Excel</h2>
<p class="sub">Một tệp Excel theo mẫu (<a href="${template}">tải tệp mẫu</a>): các tổ chức, các đơn vị được đánh giá theo nhóm và các tài khoản. Tệp được kiểm tra toàn bộ trước: nếu có lỗi thì không có gì được nhập, mỗi lỗi hiện ở đúng trang tính và dòng của nó. Nhập lại cùng một tệp không thay đổi gì; tệp đã sửa thì thêm và cập nhật, không khóa tài khoản nào.</p>
<form class="inline" data-import="onboarding">
<label class="upload"><span>Chọn tệp Excel</span><input type="file" accept=".xlsx" data-raw-upload-url="${url}" data-multipart></label>
${formMessage}
</form>
</section>`;
}

function auditSection(rows: AuditRow[]): Html {
  if (rows.length === 0) return html``;
  return html`<section class="card" data-testid="account-audit">
<h2>Nhật ký thay đổi tài khoản</h2>
<table><thead><tr><th>Thời điểm</th><th>Người thực hiện</th><th>Thao tác</th><th>Tài khoản</th></tr></thead><tbody>
${rows.map(
  (row) => html`<tr><td class="nowrap">${formatDateTimeVi(row.at.getTime())}</td><td>${row.actor === 'system' ? 'Hệ thống' : row.actor}</td><td>${AUDIT_ACTION_LABEL_VI[row.action]}</td><td>${row.username}</td></tr>`,
)}</tbody></table>
</section>`;
}

export function accountsBody(input: AccountsPageInput): Html {
  const choices: Choices = { units: [...input.units].sort((a, b) => a.nameVi.localeCompare(b.nameVi, 'vi')), organisations: input.organisations };
  return html`<h1>Tài khoản</h1>
<p class="sub">Mỗi người đăng nhập bằng tài khoản của mình, gắn với một vai trò và (nếu cần) một đơn vị hoặc một cơ quan của <a href="/dashboard/organisations">danh mục tổ chức</a>. Tài khoản không bị xóa, chỉ khóa: nhật ký vẫn ghi tên người đã làm từng bước.</p>
${input.onboarding ? importCard(input.onboarding.importUrl, input.onboarding.templateUrl) : ''}
${createCard(choices)}
<section class="card" data-testid="account-list">
<h2>Danh sách tài khoản</h2>
${filterForm(choices, input.filter)}
${accountTable(input.accounts, choices, input.now)}
</section>
${auditSection(input.audit)}`;
}

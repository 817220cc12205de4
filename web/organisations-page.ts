import { ORGANISATION_KIND_LABEL_VI, ORGANISATION_KINDS, type OrganisationKind } from '../domain/organisations';
import type { OrganisationRow } from '../application/views';
import { formMessage } from './forms';
import { html, type Html } from './html';

/**
 * The organisation directory page: the departments, the survey institute, the
 * council and Sở Nội vụ itself, filtered by kind. Sở Nội vụ's admin adds an
 * organisation, changes its name or kind, and disables or enables it (never
 * deleted); other staff read the list. Every form posts to the directory's
 * API (api/routes/organisations.ts) and shows its refusal at the field
 * (web/static/forms.js).
 */

export interface OrganisationsPageInput {
  organisations: OrganisationRow[];
  filter: { kind?: OrganisationKind };
  /** The admin: the forms are shown; everyone else reads the list. */
  manages: boolean;
}

function kindOptions(selected: OrganisationKind | undefined, blank?: string): Html {
  return html`${blank ? html`<option value="">${blank}</option>` : ''}${ORGANISATION_KINDS.map(
    (kind) => html`<option value="${kind}"${kind === selected ? html` selected` : ''}>${ORGANISATION_KIND_LABEL_VI[kind]}</option>`,
  )}`;
}

function createCard(): Html {
  return html`<section class="card" data-testid="organisation-create">
<h2>Thêm cơ quan</h2>
<p class="sub">Mã cơ quan viết hoa, không dấu (ví dụ SO_XAY_DUNG); mã không đổi được sau khi tạo. Tài khoản của cơ quan thẩm định và đợt đánh giá gọi cơ quan theo mã này.</p>
<form class="row" data-json data-url="/organisations" data-done="Đã thêm cơ quan vào danh mục.">
<label>Mã cơ quan<input name="code" required autocomplete="off" pattern="[A-Z0-9_]{1,40}" placeholder="SO_XAY_DUNG"></label>
<label class="grow">Tên cơ quan<input name="name_vi" required maxlength="300"></label>
<label>Loại<select name="kind">${kindOptions('department')}</select></label>
<button class="btn" type="submit">Thêm cơ quan</button>
${formMessage}
</form>
</section>`;
}

function filterForm(filter: OrganisationsPageInput['filter']): Html {
  return html`<form class="filters" method="get" action="/dashboard/organisations" data-testid="organisation-filters">
<label>Loại<select name="kind">${kindOptions(filter.kind, 'Tất cả')}</select></label>
<button class="btn light" type="submit">Lọc</button>
</form>`;
}

function actions(organisation: OrganisationRow): Html {
  const url = `/organisations/${encodeURIComponent(organisation.code)}`;
  const toggle = organisation.disabled
    ? html`<form data-json data-method="PATCH" data-url="${url}" data-done="Đã dùng lại cơ quan."><input type="hidden" name="disabled" value="false" data-type="bool"><button class="btn light" type="submit">Dùng lại</button>${formMessage}</form>`
    : html`<form data-json data-method="PATCH" data-url="${url}" data-done="Đã ngừng cơ quan." data-confirm="Ngừng ${organisation.nameVi}? Cơ quan không còn được chọn cho tài khoản mới và đợt đánh giá mới; dữ liệu cũ vẫn giữ tên cơ quan."><input type="hidden" name="disabled" value="true" data-type="bool"><button class="btn light" type="submit">Ngừng</button>${formMessage}</form>`;
  return html`<div class="actions">${toggle}</div>
<details><summary>Sửa tên, loại</summary>
<form class="row" data-json data-method="PATCH" data-url="${url}" data-done="Đã lưu thay đổi.">
<label class="grow">Tên cơ quan<input name="name_vi" value="${organisation.nameVi}" required maxlength="300"></label>
<label>Loại<select name="kind">${kindOptions(organisation.kind)}</select></label>
<button class="btn" type="submit">Lưu</button>
${formMessage}
</form>
</details>`;
}

function status(organisation: OrganisationRow): Html {
  return organisation.disabled ? html`<span class="badge s-overdue">Đã ngừng</span>` : html`<span class="badge s-done">Đang dùng</span>`;
}

function table(input: OrganisationsPageInput): Html {
  if (input.organisations.length === 0) return html`<p class="notice" data-testid="organisations-none">Danh mục chưa có cơ quan nào khớp bộ lọc.</p>`;
  return html`<table data-testid="organisation-table"><thead><tr><th>Mã</th><th>Tên cơ quan</th><th>Loại</th><th>Trạng thái</th>${input.manages ? html`<th>Thao tác</th>` : ''}</tr></thead><tbody>
${input.organisations.map(
  (organisation) => html`<tr data-organisation="${organisation.code}">
<td>${organisation.code}</td><td>${organisation.nameVi}</td><td>${ORGANISATION_KIND_LABEL_VI[organisation.kind]}</td>
<td data-testid="organisation-status">${status(organisation)}</td>
${input.manages ? html`<td>${actions(organisation)}</td>` : ''}
</tr>`,
)}</tbody></table>`;
}

export function organisationsBody(input: OrganisationsPageInput): Html {
  return html`<h1>Tổ chức</h1>
<p class="sub">Danh mục các cơ quan tham gia ngoài các đơn vị được đánh giá: sở, ban, ngành thẩm định, cơ quan điều tra xã hội học, Hội đồng thẩm định, Sở Nội vụ. Cơ quan không bị xóa, chỉ ngừng: tài khoản và các đợt đánh giá cũ vẫn giữ tên cơ quan.</p>
${input.manages ? createCard() : ''}
<section class="card" data-testid="organisation-list">
<h2>Danh mục cơ quan</h2>
${filterForm(input.filter)}
${table(input)}
</section>`;
}

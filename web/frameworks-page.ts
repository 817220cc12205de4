import type { Actor } from '../domain/actors';
import { formatDateTimeVi } from '../domain/deadlines';
import type { Framework } from '../domain/framework';
import { describeRuleVi, formatCentiVi } from '../domain/scoring';
import type { StoredFramework } from '../application/views';
import { formMessage } from './forms';
import { html, type Html } from './html';

/**
 * The framework library (bộ tiêu chí) in the browser: every version with its
 * downloads, and for Sở Nội vụ the import of a framework as an Excel workbook
 * in the template's layout or as JSON (POST /frameworks). A refused file comes
 * back with each mistake at its sheet, row and column (web/static/forms.js).
 */
export function frameworksBody(actor: Actor, frameworks: StoredFramework[]): Html {
  return html`<h1>Thư viện bộ tiêu chí</h1>
<p class="sub">Mỗi lần nhập một bộ tiêu chí đã sửa đổi tạo một phiên bản mới; đợt đánh giá đang chạy giữ bản sao của mình nên không bị ảnh hưởng.</p>
${actor.role === 'admin' ? importCard() : ''}
<section class="card" data-testid="framework-list">
<h2>Các bộ tiêu chí</h2>
${
  frameworks.length === 0
    ? html`<p class="notice">Thư viện chưa có bộ tiêu chí nào.</p>`
    : html`<table><thead><tr><th>Mã</th><th class="num">Phiên bản</th><th>Tên</th><th>Người nhập</th><th>Thời điểm nhập</th><th>Tải về</th></tr></thead><tbody>
${frameworks.map((framework) => {
        const base = `/frameworks/${encodeURIComponent(framework.code)}`;
        return html`<tr data-framework="${framework.code}" data-version="${framework.version}"><td>${framework.code}</td><td class="num">${framework.version}</td>
<td><a href="${detailUrl(framework)}">${framework.titleVi}</a></td>
<td>${framework.importedBy}</td><td class="nowrap">${formatDateTimeVi(framework.importedAt.getTime())}</td>
<td class="nowrap"><a href="${base}/export.xlsx?version=${framework.version}">Excel</a> · <a href="${base}?version=${framework.version}">JSON</a></td></tr>`;
      })}</tbody></table>`
}
</section>`;
}

function importCard(): Html {
  return html`<section class="card" data-testid="framework-import">
<h2>Nhập bộ tiêu chí</h2>
<p class="sub">Tệp Excel theo mẫu (<a href="/frameworks/template.xlsx">tải tệp mẫu</a>; cách điền: formats/README.md) hoặc tệp JSON. Tệp có lỗi không được nhập; mọi lỗi được chỉ ra theo trang tính, dòng và cột.</p>
<form class="inline" data-import="framework">
<label class="upload"><span>Chọn tệp bộ tiêu chí</span><input type="file" accept=".xlsx,.json" data-raw-upload-url="/frameworks"></label>
${formMessage}
</form>
</section>`;
}

function detailUrl(framework: { code: string; version: number }): string {
  return `/dashboard/frameworks/${encodeURIComponent(framework.code)}?version=${framework.version}`;
}

const points = (value: number) => formatCentiVi(Math.round(value * 100));

/** The groups by code, as the ranking lists them: a stored framework's own order is lost in jsonb, which sorts keys by length. */
function groupsByCode(framework: Framework) {
  return Object.entries(framework.groups).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * One version of a framework as the method it publishes: for each group of
 * units, the points (assessed, survey, bonus and penalty) and the tree of
 * areas, criteria and sub-criteria with each one's maximum, how it is scored,
 * who appraises it and whether evidence is required; then the survey's
 * questions and the classification bands.
 */
export function frameworkDetailBody(stored: StoredFramework, framework: Framework): Html {
  const base = `/frameworks/${encodeURIComponent(stored.code)}`;
  return html`<p class="muted"><a href="/dashboard/frameworks">← Thư viện bộ tiêu chí</a></p>
<h1>${framework.title_vi}</h1>
<p class="sub">${stored.code} · phiên bản ${stored.version} · nhập lúc ${formatDateTimeVi(stored.importedAt.getTime())}</p>
<p><a class="btn light" href="${base}/export.xlsx?version=${stored.version}">Tải Excel</a> <a class="btn light" href="${base}?version=${stored.version}">Tải JSON</a></p>
${framework.note ? html`<p class="notice">${framework.note}</p>` : ''}
${groupsByCode(framework).map(
  ([code, group]) => html`<section class="card" data-group="${code}">
<h2>${group.name_vi} <span class="muted">(${code})</span></h2>
<p>Tổng điểm tối đa <strong>${points(group.max_points)}</strong>: điểm thẩm định ${points(group.assessed_max_points)}, điểm điều tra xã hội học ${points(group.survey.max_points)}; điểm cộng tối đa ${points(group.bonus_penalty.bonus_max)}, điểm trừ tối đa ${points(group.bonus_penalty.penalty_max)}.</p>
<table class="sheet"><thead><tr><th>Mã</th><th>Nội dung</th><th class="num">Điểm tối đa</th><th>Cách chấm</th><th>Cơ quan thẩm định</th><th>Tài liệu kiểm chứng</th></tr></thead><tbody>
${group.areas.map(
  (area) => html`<tr class="total"><td>${area.code}</td><td>${area.name_vi}</td><td class="num">${points(area.max_points)}</td><td colspan="3"></td></tr>
${area.criteria.map(
  (criterion) => html`<tr><td><strong>${criterion.code}</strong></td><td><strong>${criterion.name_vi}</strong></td><td class="num">${points(criterion.max_points)}</td><td colspan="3"></td></tr>
${criterion.subcriteria.map(
  (sub) => html`<tr data-sub="${sub.code}"><td>${sub.code}</td><td>${sub.name_vi}</td><td class="num">${points(sub.max_points)}</td><td class="small">${describeRuleVi(sub)}</td><td>${sub.owner}</td><td>${sub.evidence_required ? 'Bắt buộc' : '—'}</td></tr>`,
)}`,
)}`,
)}
</tbody></table>
<h3>Điều tra xã hội học (tối đa ${points(group.survey.max_points)} điểm)</h3>
${group.survey.method ? html`<p class="small">${group.survey.method}</p>` : ''}
<table><thead><tr><th>Mã</th><th>Câu hỏi</th><th class="num">Điểm tối đa</th></tr></thead><tbody>
${group.survey.questions.map((question) => html`<tr><td>${question.code}</td><td>${question.text_vi}</td><td class="num">${points(question.max_points)}</td></tr>`)}
</tbody></table>
${
  group.classification?.length
    ? html`<h3>Xếp loại</h3><ul>${group.classification.map((band) => html`<li>${band.name_vi}: từ ${String(band.min_percent).replace('.', ',')}%</li>`)}</ul>`
    : ''
}
</section>`,
)}`;
}

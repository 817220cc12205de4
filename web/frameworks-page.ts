import type { Actor } from '../domain/actors';
import { formatDateTimeVi } from '../domain/deadlines';
import type { StoredFramework } from '../db/repositories/frameworks';
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
        return html`<tr data-framework="${framework.code}" data-version="${framework.version}"><td>${framework.code}</td><td class="num">${framework.version}</td><td>${framework.titleVi}</td>
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
<div class="form-message" role="status" aria-live="polite"></div>
</form>
</section>`;
}

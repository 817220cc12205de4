import { formatDateTimeVi } from '../domain/deadlines';
import type { ParkedChangeView } from '../application/services/parked-changes';
import { ACTION_LABEL_VI } from '../domain/event-actions';
import { formMessage } from './forms';
import { html, type Html } from './html';

/**
 * Sở Nội vụ's administrators: the steps the workflows accepted but the
 * database refused to record (db/repositories/read-model-parking.ts). The
 * campaign goes on; these steps are missing from the pages until an
 * administrator has the cause fixed and presses "Thử lại", which records each
 * once, where it happened, without undoing anything recorded after it.
 */
export function parkedChangesBody(rows: ParkedChangeView[]): Html {
  return html`<h1>Thay đổi chưa ghi được</h1>
<section class="card" data-testid="parked-changes">
<p class="sub">Các bước đã được hệ thống quy trình chấp nhận nhưng cơ sở dữ liệu từ chối ghi. Đợt đánh giá vẫn tiếp tục; các bước này chưa hiện trên các trang cho đến khi được ghi lại. Hãy khắc phục nguyên nhân (hoặc báo bộ phận kỹ thuật) rồi bấm “Thử lại”: mỗi bước chỉ được ghi một lần, đúng thứ tự, không ghi đè các thay đổi mới hơn.</p>
${
  rows.length === 0
    ? html`<p class="notice" data-testid="parked-none">Không có thay đổi nào chờ ghi.</p>`
    : html`<table><thead><tr><th>Thời điểm</th><th>Đợt đánh giá</th><th>Đơn vị</th><th>Thao tác</th><th>Lý do chưa ghi được</th><th>Số lần thử</th><th></th></tr></thead><tbody>
${rows.map(
  (row) => html`<tr data-parked="${row.id}">
<td>${formatDateTimeVi(row.parkedAt.getTime())}</td>
<td>${row.campaignName ?? row.campaignId}</td>
<td>${row.unitName ?? row.unitCode ?? '—'}</td>
<td>${ACTION_LABEL_VI[row.action] ?? 'Thay đổi khác'}</td>
<td>${row.reasonVi}</td>
<td>${row.attempts}</td>
<td><form data-json data-url="/parked-changes/${row.id}/retry" data-confirm="Ghi lại thay đổi này vào cơ sở dữ liệu?" data-done="Đã ghi lại thay đổi.">${formMessage}<button class="btn" type="submit">Thử lại</button></form></td>
</tr>`,
)}</tbody></table>`
}
</section>`;
}

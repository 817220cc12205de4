import { formatDateTimeVi } from '../domain/deadlines';
import { DELIVERY_STATUS_LABEL_VI, DELIVERY_STATUSES, type DeliveryStatus } from '../domain/deliveries';
import { parseOffset, REMINDER_KIND_LABEL_VI, REMINDER_STAGE_LABEL_VI, type ReminderKind } from '../domain/reminder-plan';
import { RECIPIENT_ROLE_LABEL_VI } from '../domain/reminders';
import type { ReminderLog } from '../application/views';
import { html, query, type Html } from './html';

/**
 * The reminder log for Sở Nội vụ and coordinators (GET
 * /campaigns/:id/reminders and /deliveries, in the browser): which reminders
 * and escalations fell due, to whom each e-mail went and how it went. Failed
 * and unconfirmed e-mails come first in the legend because they are the ones
 * someone has to follow up by telephone.
 */

/** The badge colours of the progress statuses (web/assets.ts), by how urgent each delivery status is. */
const DELIVERY_BADGE: Record<DeliveryStatus, string> = {
  queued: 's-submitted',
  sending: 's-submitted',
  sent: 's-done',
  failed: 's-overdue',
  unconfirmed: 's-late',
  cancelled: 's-not_started',
  skipped: 's-not_started',
};


/** "P3D" before a deadline reads "3 ngày trước hạn"; after it (an escalation), working days; an exact offset ("PT30S") stays as written. */
function offsetLabel(kind: ReminderKind, offset: string): string {
  const parsed = parseOffset(offset);
  if (kind === 'escalation') return parsed?.calendar ? `${parsed.days} ngày làm việc sau hạn` : `${offset} sau hạn`;
  if (parsed?.calendar) return parsed.days === 0 ? 'Ngày hết hạn' : `${parsed.days} ngày trước hạn`;
  return `${offset} trước hạn`;
}

export interface ReminderLogFilter {
  unit?: string;
  status?: DeliveryStatus;
}

export interface ReminderLogPageInput {
  campaign: { id: string; nameVi: string };
  filter: ReminderLogFilter;
  log: ReminderLog;
  /** How many rows of each list the page shows at most. */
  limit: number;
}

export function reminderLogBody({ campaign, filter, log, limit }: ReminderLogPageInput): Html {
  const base = `/dashboard/campaigns/${campaign.id}/reminders`;
  const unitLink = (row: { unitCode: string; unitName: string | null }) =>
    html`<a href="/dashboard/campaigns/${campaign.id}/units/${row.unitCode}">${row.unitName ?? row.unitCode}</a>`;
  const deliveryTotal = Object.values(log.deliveryCounts).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const listed = filter.status ? (log.deliveryCounts[filter.status] ?? 0) : deliveryTotal;
  const scope = filter.unit ? html` · đơn vị <strong>${log.deliveries[0]?.unitName ?? log.dispatches[0]?.unitName ?? filter.unit}</strong> (<a href="${base}">xem tất cả</a>)` : '';
  return html`<h1>Nhật ký nhắc hạn</h1>
<p class="sub">${campaign.nameVi}${scope}</p>
<section class="card" data-testid="reminder-log-counts">
<h2>Tổng hợp</h2>
<p>Đã phát <strong>${log.dispatchCounts.reminder ?? 0}</strong> lượt nhắc hạn và <strong>${log.dispatchCounts.escalation ?? 0}</strong> lượt báo cáo quá hạn; <strong>${deliveryTotal}</strong> thư điện tử.</p>
<table><thead><tr>${DELIVERY_STATUSES.map((status) => html`<th class="num">${DELIVERY_STATUS_LABEL_VI[status]}</th>`)}</tr></thead>
<tbody><tr>${DELIVERY_STATUSES.map((status) => {
    const n = log.deliveryCounts[status] ?? 0;
    return html`<td class="num" data-status="${status}">${n ? html`<a href="${base}${query({ unit: filter.unit, status })}">${n}</a>` : '0'}</td>`;
  })}</tr></tbody></table>
<p class="small muted">Gửi lỗi: máy chủ thư từ chối hoặc không trả lời; thư được gửi lại tự động, trừ khi địa chỉ bị từ chối hẳn. Chưa xác nhận: lần gửi bị gián đoạn giữa chừng, hệ thống không gửi lại để tránh trùng; tra Message-ID trong nhật ký máy chủ thư. Đã hủy: đơn vị đã hoàn thành bước trước khi thư kịp gửi. Không gửi: chưa cấu hình máy chủ thư (SMTP), đơn vị vẫn nhận thông báo trong hộp thư của hệ thống.</p>
</section>
<section class="card">
<h2>Thư điện tử</h2>
<form class="filters" method="get" action="${base}" data-testid="reminder-log-filters">
  <label>Mã đơn vị<input name="unit" value="${filter.unit ?? ''}" placeholder="VD: QUAN_BA_DINH" size="18"></label>
  <label>Tình trạng<select name="status"><option value="">Tất cả</option>${DELIVERY_STATUSES.map(
    (status) => html`<option value="${status}" ${filter.status === status ? html`selected` : ''}>${DELIVERY_STATUS_LABEL_VI[status]}</option>`,
  )}</select></label>
  <button class="btn" type="submit">Lọc</button>
  <a class="btn light" href="${base}">Bỏ lọc</a>
</form>
<p class="muted" data-testid="delivery-count">${listed} thư${listed > log.deliveries.length ? ` · hiển thị ${log.deliveries.length} thư gần nhất` : ''}</p>
${
  log.deliveries.length === 0
    ? html`<p class="notice">Chưa có thư điện tử nào${filter.status ? ` ở tình trạng "${DELIVERY_STATUS_LABEL_VI[filter.status]}"` : ''}.</p>`
    : html`<table data-testid="delivery-log"><thead><tr><th>Đưa vào hàng đợi</th><th>Đơn vị</th><th>Bước</th><th>Người nhận</th><th>Tiêu đề</th><th>Tình trạng</th><th class="num">Số lần gửi</th><th>Gửi lúc</th></tr></thead><tbody>
${log.deliveries.map(
        (row) => html`<tr data-delivery="${row.id}">
<td class="nowrap">${formatDateTimeVi(row.queuedAt.getTime())}</td>
<td>${unitLink(row)}</td>
<td>${REMINDER_STAGE_LABEL_VI[row.stage]}</td>
<td>${row.recipientName}<div class="small muted">${RECIPIENT_ROLE_LABEL_VI[row.recipientRole]} · ${row.recipientEmail}</div></td>
<td>${row.subject}</td>
<td><span class="badge ${DELIVERY_BADGE[row.status]}">${DELIVERY_STATUS_LABEL_VI[row.status]}</span>${row.lastError ? html`<div class="small muted">${row.lastError}</div>` : ''}${
          row.status === 'unconfirmed' ? html`<div class="small muted">Message-ID: ${row.messageId}</div>` : ''
        }</td>
<td class="num">${row.attempts}</td>
<td class="nowrap">${row.sentAt ? formatDateTimeVi(row.sentAt.getTime()) : '—'}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section class="card">
<h2>Các lượt nhắc đã phát</h2>
<p class="muted">Mỗi lượt nhắc gửi một thông báo vào hộp thư của đơn vị (báo cáo quá hạn: cả Sở Nội vụ) và thư điện tử cho người nhận đã đăng ký.${
  log.dispatches.length === limit ? ` Hiển thị ${limit} lượt gần nhất.` : ''
}</p>
${
  log.dispatches.length === 0
    ? html`<p class="notice">Chưa có lượt nhắc nào đến hạn.</p>`
    : html`<table data-testid="dispatch-log"><thead><tr><th>Đến hạn lúc</th><th>Đơn vị</th><th>Bước</th><th>Loại</th><th>Mốc</th><th>Hạn</th></tr></thead><tbody>
${log.dispatches.map(
        (row) => html`<tr data-dispatch="${row.key}">
<td class="nowrap">${formatDateTimeVi(row.dueAt.getTime())}</td>
<td>${unitLink(row)}</td>
<td>${REMINDER_STAGE_LABEL_VI[row.stage]}</td>
<td>${REMINDER_KIND_LABEL_VI[row.kind]}</td>
<td>${offsetLabel(row.kind, row.offset)}</td>
<td class="nowrap">${formatDateTimeVi(row.deadline.getTime())}</td></tr>`,
      )}</tbody></table>`
}
</section>`;
}

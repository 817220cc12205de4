/**
 * How one reminder e-mail went (db/schema-notifications.ts email_deliveries):
 * queued → sending → sent | failed (retried) | cancelled (no longer owed) |
 * skipped (no SMTP configured); unconfirmed when its SMTP exchange stopped and
 * its unit moved on before the retry (notifications/README.md).
 */
export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unconfirmed', 'cancelled', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_STATUS_LABEL_VI: Record<DeliveryStatus, string> = {
  queued: 'Chờ gửi',
  sending: 'Đang gửi',
  sent: 'Đã gửi',
  failed: 'Gửi lỗi',
  unconfirmed: 'Chưa xác nhận',
  cancelled: 'Đã hủy',
  skipped: 'Không gửi',
};

/** What an account change is, as the account change log stores it and the accounts page names it. */
export const ACCOUNT_AUDIT_ACTIONS = ['created', 'updated', 'disabled', 'enabled', 'password_reset', 'password_changed'] as const;
export type AuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABEL_VI: Record<AuditAction, string> = {
  created: 'Tạo tài khoản',
  updated: 'Sửa thông tin',
  disabled: 'Khóa tài khoản',
  enabled: 'Mở lại tài khoản',
  password_reset: 'Cấp lại mật khẩu',
  password_changed: 'Tự đổi mật khẩu',
};

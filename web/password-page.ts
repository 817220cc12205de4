import { MIN_PASSWORD_LENGTH } from '../application/auth/password-policy';
import { formMessage } from './forms';
import { html, type Html } from './html';

/**
 * "Đổi mật khẩu" for everyone signed in: posts to POST /auth/password, which
 * answers a fresh session cookie. A session opened with a one-time password is
 * sent here from every other page (http/auth/plugin.ts) until the password is
 * changed, then goes on to the page it was going to (`next`).
 */
export function passwordBody(input: { forced: boolean; next: string }): Html {
  return html`<section class="card login" data-testid="password-change">
<h1>Đổi mật khẩu</h1>
${
  input.forced
    ? html`<p class="notice" data-testid="password-forced">Bạn vừa đăng nhập bằng mật khẩu dùng một lần. Hãy đặt mật khẩu của riêng mình để tiếp tục sử dụng hệ thống.</p>`
    : ''
}
<p class="sub">Mật khẩu mới có ít nhất ${MIN_PASSWORD_LENGTH} ký tự, không chứa tên đăng nhập và không phải mật khẩu phổ biến. Sau khi đổi, các phiên đăng nhập khác của bạn kết thúc.</p>
<form class="inline" data-json data-url="/auth/password" data-go="${input.next}" data-done="Đã đổi mật khẩu.">
<label>${input.forced ? 'Mật khẩu dùng một lần' : 'Mật khẩu hiện tại'}<input name="current_password" type="password" autocomplete="current-password" required></label>
<label>Mật khẩu mới<input name="new_password" type="password" autocomplete="new-password" required></label>
<label>Nhập lại mật khẩu mới<input name="repeat_password" type="password" autocomplete="new-password" required data-same-as="new_password" data-mismatch="Hai lần nhập mật khẩu mới không giống nhau"></label>
<button class="btn" type="submit">Đổi mật khẩu</button>
${formMessage}
</form>
</section>`;
}

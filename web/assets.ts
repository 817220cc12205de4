/**
 * The dashboard's one stylesheet and one script, served from /dashboard/assets
 * so the Content-Security-Policy (helmet's default, script-src 'self') holds:
 * no inline script anywhere. The script only logs in and out; every page is
 * rendered on the server. The action forms have their own script (web/static/forms.js).
 */
export const STYLESHEET = `
:root { --blue: #0b4f9c; --ink: #1d2733; --muted: #5b6776; --line: #d7dde5; --bg: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); font-size: 15px; }
header.top { background: var(--blue); color: #fff; padding: 10px 24px; display: flex; align-items: center; gap: 24px; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; font-size: 17px; }
header.top nav { display: flex; gap: 16px; flex: 1; }
header.top .who { font-size: 14px; opacity: .95; }
header.top button { background: transparent; border: 1px solid #fff; color: #fff; border-radius: 4px; padding: 4px 10px; cursor: pointer; }
main { max-width: 1200px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.sub { color: var(--muted); margin: 0 0 12px; }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 700; background: #f7f9fb; }
td.up { color: #16652f; } td.down { color: #a01818; }
.table-scroll { overflow-x: auto; }
table.ranking th { white-space: normal; } table.ranking td.name { min-width: 12em; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 13px; white-space: nowrap; }
.s-not_started { background: #eceff3; } .s-draft { background: #fff4cc; } .s-submitted { background: #dcebff; }
.s-late { background: #ffe2c2; } .s-overdue { background: #ffd6d6; color: #8a1010; } .s-done { background: #d8f3df; }
.timeline { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; padding: 0; margin: 8px 0 16px; }
.timeline li { border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; background: #fff; font-size: 14px; }
.timeline li.past { color: var(--muted); }
.timeline li.current { background: var(--blue); color: #fff; border-color: var(--blue); font-weight: 600; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0 12px; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 2px; }
select, input, button, textarea { font: inherit; }
select, input { padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.btn { display: inline-block; background: var(--blue); color: #fff; border: 0; border-radius: 4px; padding: 6px 14px; cursor: pointer; text-decoration: none; }
.btn.light { background: #fff; color: var(--blue); border: 1px solid var(--blue); }
.notice { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 6px; padding: 10px 14px; }
.error { background: #fdecec; border: 1px solid #f2b8b8; border-radius: 6px; padding: 12px 16px; }
.login { max-width: 380px; margin: 60px auto; }
.login label { display: block; margin: 12px 0 4px; }
.login input { width: 100%; padding: 8px; }
.login .btn { margin-top: 16px; width: 100%; padding: 10px; }
.muted { color: var(--muted); }
.pager { display: flex; gap: 12px; align-items: center; margin: 10px 0; }
svg.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
.form-message:empty { display: none; }
.form-message { margin: 10px 0; padding: 8px 12px; border-radius: 6px; background: #eef2f7; }
.form-message.error { background: #fdecec; border: 1px solid #f2b8b8; }
.form-message.ok { background: #e3f6e8; border: 1px solid #a9dcb7; }
.form-message ul { margin: 6px 0 0; padding-left: 20px; }
.form-message table.issues { margin-top: 8px; }
.form-message table.issues ul { margin: 0; }
.form-message .otp { font-family: monospace; font-size: 18px; letter-spacing: 1px; background: #fff; padding: 2px 8px; border: 1px solid #a9dcb7; border-radius: 4px; }
.field-error { color: #a11; font-size: 13px; }
[aria-invalid=true] { border-color: #d33; background: #fff6f6; }
form.row, p.row { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
form.row label, p.row label, form.inline label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 2px; }
form.row .grow, p.row .grow { flex: 1; min-width: 200px; }
/* A radio button or checkbox sits before its words, not above them as a field does. */
p.row label.choice { flex-direction: row; align-items: center; gap: 6px; font-size: 15px; color: inherit; }
form.row .form-message { flex-basis: 100%; }
form.inline { display: flex; flex-direction: column; gap: 6px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; }
textarea { width: 100%; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; }
table.sheet td { font-size: 14px; }
table.sheet tr.invalid td { background: #fdecec; }
ul.evidence { list-style: none; margin: 0 0 4px; padding: 0; font-size: 13px; }
label.upload { display: flex; flex-direction: column; gap: 2px; font-size: 13px; color: var(--muted); }
button.link { background: none; border: 0; color: #a11; cursor: pointer; padding: 0 2px; text-decoration: underline; }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.actions { display: flex; gap: 12px; }
tr.unread td { background: #f3f8ff; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 16px; }
`;

export const SCRIPT = `
(function () {
  var form = document.getElementById('login-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var message = document.getElementById('login-message');
      message.textContent = 'Đang đăng nhập…';
      fetch('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: form.username.value, password: form.password.value })
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            var next = form.getAttribute('data-next') || '/dashboard';
            if (next.indexOf('/dashboard') !== 0) next = '/dashboard';
            // A one-time password's session changes it first, then goes on where it was going.
            window.location.assign(body.must_change_password ? '/dashboard/password?next=' + encodeURIComponent(next) : next);
          } else {
            message.textContent = body.message_vi || 'Đăng nhập không thành công';
          }
        });
      }).catch(function () { message.textContent = 'Không kết nối được máy chủ'; });
    });
  }
  var logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', function () {
      fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).finally(function () {
        window.location.assign('/dashboard/login');
      });
    });
  }
})();
`;

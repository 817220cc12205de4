import type { Actor } from '../domain/actors';
import { CONTACT_ROLES, type ContactRole } from '../domain/reminders';
import type { ContactRow } from '../application/views';
import { formMessage } from './forms';
import { html, type Html } from './html';

/** What each kind of contact receives (activities/notifications.ts): reminders go to head and staff, an overdue step's escalation to head and coordinators. */
const CONTACT_ROLE_LABEL_VI: Record<ContactRole, string> = {
  head: 'Thủ trưởng đơn vị (nhận nhắc hạn và báo cáo quá hạn)',
  staff: 'Cán bộ đầu mối (nhận nhắc hạn)',
  coordinator: 'Điều phối viên Sở Nội vụ (nhận báo cáo quá hạn của các đơn vị)',
};

function contactFields(contact?: ContactRow): Html {
  return html`<p class="row">
<label class="grow">Họ và tên<input name="name" value="${contact?.name ?? ''}" required maxlength="200"></label>
<label>Vai trò<select name="role">${CONTACT_ROLES.map(
    (role) => html`<option value="${role}" ${contact?.role === role ? html`selected` : ''}>${CONTACT_ROLE_LABEL_VI[role]}</option>`,
  )}</select></label>
<label class="grow">Thư điện tử<input type="email" name="email" value="${contact?.email ?? ''}" required></label></p>`;
}

/** An existing contact's row: for Sở Nội vụ, a form to change it and a button to remove it. */
function contactRow(contact: ContactRow, edits: boolean): Html {
  return html`<tr data-contact="${contact.id}"><td>${contact.name}</td><td>${CONTACT_ROLE_LABEL_VI[contact.role]}</td><td>${contact.email}</td>
${
  edits
    ? html`<td><details><summary>Sửa</summary>
<form data-json data-method="PUT" data-url="/contacts/${contact.id}" data-done="Đã lưu liên hệ.">${contactFields(contact)}${formMessage}<button class="btn" type="submit">Lưu</button></form>
</details>
<form data-json data-method="DELETE" data-url="/contacts/${contact.id}" data-confirm="Xoá liên hệ ${contact.name}?" data-done="Đã xoá liên hệ.">${formMessage}<button class="btn light" type="submit">Xoá</button></form></td>`
    : ''
}</tr>`;
}

/**
 * Who receives the unit's deadline reminders and escalations: the
 * unit and the staff read it, Sở Nội vụ keeps it (the API's rule,
 * application/services/contacts.ts). A unit without a staff contact gets no reminder
 * by e-mail, which the card says. Those who read the reminder log get a link
 * to the unit's part of it.
 */
export function contactsCard(actor: Actor, unitCode: string, contacts: ContactRow[], reminderLogHref?: string): Html {
  const edits = actor.role === 'admin';
  return html`<section class="card" data-testid="contacts">
<h2>Người nhận nhắc hạn</h2>
${
  contacts.length === 0
    ? html`<p class="notice">Đơn vị chưa có người nhận nhắc hạn; nhắc hạn chỉ hiện trong mục Thông báo${edits ? '' : ' (đề nghị Sở Nội vụ bổ sung)'}.</p>`
    : html`<table><thead><tr><th>Họ và tên</th><th>Vai trò</th><th>Thư điện tử</th>${edits ? html`<th></th>` : ''}</tr></thead><tbody>
${contacts.map((contact) => contactRow(contact, edits))}</tbody></table>`
}
${reminderLogHref ? html`<p><a href="${reminderLogHref}" data-testid="unit-reminder-log">Các lần nhắc và thư điện tử đã gửi cho đơn vị</a></p>` : ''}
${
  edits
    ? html`<h3>Thêm người nhận</h3>
<form data-json data-url="/units/${unitCode}/contacts" data-done="Đã thêm liên hệ." data-testid="contact-add">${contactFields()}${formMessage}<button class="btn" type="submit">Thêm</button></form>`
    : ''
}
</section>`;
}

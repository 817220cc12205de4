import { formatDateVi, parseDeadline } from '../domain/deadlines';
import type { ReminderPolicy } from '../domain/reminders';
import { formMessage } from './forms';
import { html, type Html } from './html';

/** "P7D" reads as 7 (days, at the time of day); an exact offset such as "PT30S" stays as it is written. */
function offsetText(offset: string): string {
  return /^P\d+D$/.test(offset) ? offset.slice(1, -1) : offset;
}

/**
 * Sở Nội vụ's reminder policy for a campaign (PUT
 * /campaigns/:id/reminder-policy): how many days before each deadline units
 * are reminded and at what time, whether an overdue step is escalated, the
 * public holidays that are not working days (Tết falls in the self-assessment
 * weeks), and who coordinates. It applies from each unit's next planning.
 */
export function reminderPolicyCard(campaignId: string, policy: ReminderPolicy): Html {
  const yesNo = (name: string, value: boolean) =>
    html`<select name="${name}" data-type="bool"><option value="true" ${value ? html`selected` : ''}>Có</option><option value="false" ${value ? '' : html`selected`}>Không</option></select>`;
  const holidays = policy.holidays.map((day) => formatDateVi(parseDeadline(day)!)).join('\n');
  const coordinators = policy.coordinators.map((person) => `${person.name} <${person.email}>`).join('\n');
  return html`<section class="card" data-testid="reminder-policy">
<h2>Nhắc hạn</h2>
<p class="sub">Áp dụng từ lần lập lịch nhắc tiếp theo của mỗi đơn vị. Ngày nghỉ lễ không tính là ngày làm việc khi chuyển báo cáo quá hạn.</p>
<form data-json data-method="PUT" data-url="/campaigns/${campaignId}/reminder-policy" data-done="Đã lưu chính sách nhắc hạn." data-testid="reminder-policy-form">
<p class="row"><label>Gửi nhắc hạn${yesNo('enabled', policy.enabled)}</label>
<label class="grow">Nhắc trước hạn (số ngày, cách nhau bởi dấu phẩy)<input name="before" data-type="offsets" value="${policy.before.map(offsetText).join(', ')}"></label>
<label>Giờ gửi<input type="time" name="time_of_day" value="${policy.time_of_day}" required></label></p>
<p class="row"><label>Báo cáo quá hạn${yesNo('escalation.enabled', policy.escalation.enabled)}</label>
<label>Sau hạn (số ngày làm việc)<input name="escalation.after" data-type="offset" value="${offsetText(policy.escalation.after)}" required></label>
<label>Đơn vị điều phối<input name="coordinator_unit" value="${policy.coordinator_unit}" required></label></p>
<p class="row"><label class="grow">Ngày nghỉ lễ (mỗi dòng một ngày, dd/mm/yyyy)<textarea name="holidays" data-type="dates" data-row-label="Ngày nghỉ lễ" rows="4">${holidays}</textarea></label>
<label class="grow">Điều phối viên nhận báo cáo quá hạn (mỗi dòng: Họ tên &lt;thư điện tử&gt;)<textarea name="coordinators" data-type="people" data-row-label="Điều phối viên" rows="4">${coordinators}</textarea></label></p>
${formMessage}
<button class="btn" type="submit">Lưu chính sách nhắc hạn</button>
</form>
</section>`;
}

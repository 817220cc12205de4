import { z } from 'zod';
import { actorLabelVi } from '../domain/actor-label';
import { formatDateTimeVi, formatDateVi, parseDeadline } from '../domain/deadlines';
import { STAGE_LABEL_VI } from '../domain/stages';
import { ownValue, UNIT_STAGE_LABEL_VI, UNIT_STATUS_LABEL_VI } from '../domain/units';
import { DEADLINE_LABEL_VI } from '../domain/campaign';
import type { EventLogRow } from '../application/views';
import { SURVEY_STATUS_LABEL_VI } from '../domain/survey-status';
import { ACTION_LABEL_VI } from '../domain/event-actions';
import { html, query, type Html } from './html';

/**
 * The campaign's event log for Sở Nội vụ and coordinators (GET
 * /campaigns/:id/events, in the browser): every change the workflows
 * recorded, who made it, when and why, newest first, a page at a time. This
 * is what a province answers a unit's complaint with, so each change is told
 * in Vietnamese rather than as the stored JSON.
 */

/** What the workflows store in `before` and `after`, each shape optional: an event carries only its own. */
const stored = z
  .object({
    stage: z.string(),
    status: z.string(),
    key: z.string(),
    deadline: z.string().nullable(),
    contributor: z.string(),
    areas: z.array(z.string()),
    missing: z.array(z.string()),
    document: z.object({ name: z.string() }),
    date: z.string(),
    areaCode: z.string(),
    scored: z.number(),
    explanationRequests: z.number(),
    approvedBy: z.string(),
    round: z.number(),
    votesFor: z.number(),
    membersPresent: z.number(),
    returns: z.array(z.object({ unitCode: z.string(), areas: z.array(z.string()) })),
    answers: z.number(),
    respondents: z.number(),
  })
  .partial();
type Stored = z.infer<typeof stored>;

const read = (value: unknown): Stored => stored.safeParse(value ?? {}).data ?? {};

function stateText(unitScoped: boolean, surveyAction: boolean, state: Stored): string | undefined {
  // A stored event's words are whatever its workflow wrote: one this page has no label for is shown as written.
  if (surveyAction && state.status) return ownValue(SURVEY_STATUS_LABEL_VI, state.status) ?? state.status;
  if (!state.stage) return undefined;
  if (!unitScoped) return ownValue(STAGE_LABEL_VI, state.stage) ?? state.stage;
  const status = state.status ? (ownValue(UNIT_STATUS_LABEL_VI, state.status) ?? state.status) : undefined;
  return [ownValue(UNIT_STAGE_LABEL_VI, state.stage) ?? state.stage, status].filter(Boolean).join(' · ');
}

const deadlineText = (text: string | null | undefined) => {
  const at = text ? parseDeadline(text) : null;
  return at === null ? '—' : formatDateTimeVi(at);
};

/** The change an event made, told in Vietnamese from its stored before and after. */
function eventDetail(event: Pick<EventLogRow, 'action' | 'unitCode' | 'before' | 'after'>): string {
  const before = read(event.before);
  const after = read(event.after);
  const parts: string[] = [];
  const surveyAction = event.action.startsWith('survey_');
  const from = stateText(event.unitCode !== null, surveyAction, before);
  const to = stateText(event.unitCode !== null, surveyAction, after);
  if (to) parts.push(from && from !== to ? `${from} → ${to}` : to);
  if (after.key && 'deadline' in after) {
    const label = ownValue(DEADLINE_LABEL_VI, after.key) ?? after.key;
    parts.push(`${label}: ${before.deadline ? `${deadlineText(before.deadline)} → ` : ''}${deadlineText(after.deadline)}`);
  }
  if (after.contributor) parts.push(`${after.contributor}: lĩnh vực ${after.areas?.join(', ') ?? ''}`);
  if (after.document) parts.push(`Văn bản: ${after.document.name}`);
  if (after.missing?.length) parts.push(`Chưa gửi hướng dẫn: ${after.missing.join(', ')}`);
  if (after.date) {
    const day = parseDeadline(after.date);
    parts.push(`Ngày ${day === null ? after.date : formatDateVi(day)}`);
  }
  if (after.areaCode) parts.push(`Lĩnh vực ${after.areaCode}: ${after.scored ?? 0} tiêu chí${after.explanationRequests ? `, ${after.explanationRequests} yêu cầu giải trình` : ''}`);
  else if (after.scored !== undefined) parts.push(`${after.scored} tiêu chí`);
  if (after.approvedBy) parts.push(`Thủ trưởng duyệt: ${after.approvedBy}`);
  if (after.round !== undefined) parts.push(`Phiên họp ${after.round}${after.membersPresent ? `: ${after.votesFor ?? 0}/${after.membersPresent} thành viên tán thành` : ''}`);
  if (after.returns?.length) parts.push(`Trả lại: ${after.returns.map((item) => `${item.unitCode} (lĩnh vực ${item.areas.join(', ')})`).join('; ')}`);
  if (after.answers !== undefined) parts.push(`${after.answers} câu trả lời của ${after.respondents ?? 0} người`);
  return parts.join('. ');
}

export interface EventLogPageInput {
  campaign: { id: string; nameVi: string };
  unit?: string;
  events: EventLogRow[];
  /** The page size: a full page means there may be older events. */
  limit: number;
}

export function eventLogBody({ campaign, unit, events, limit }: EventLogPageInput): Html {
  const base = `/dashboard/campaigns/${campaign.id}/events`;
  const older = events.length === limit ? events[events.length - 1]!.id : undefined;
  const unitName = events.find((event) => event.unitName)?.unitName ?? unit;
  return html`<h1>Nhật ký thay đổi</h1>
<p class="sub">${campaign.nameVi}${unit ? html` · đơn vị <strong>${unitName}</strong> (<a href="${base}">xem cả đợt</a>)` : ''}</p>
<section class="card">
<form class="filters" method="get" action="${base}" data-testid="event-log-filters">
  <label>Mã đơn vị<input name="unit" value="${unit ?? ''}" placeholder="VD: QUAN_BA_DINH" size="18"></label>
  <button class="btn" type="submit">Lọc</button>
  <a class="btn light" href="${base}">Bỏ lọc</a>
</form>
${
  events.length === 0
    ? html`<p class="notice">Chưa có thay đổi nào được ghi nhận.</p>`
    : html`<table data-testid="event-log"><thead><tr><th>Thời điểm</th><th>Đơn vị</th><th>Việc</th><th>Chi tiết</th><th>Người thực hiện</th><th>Lý do</th></tr></thead><tbody>
${events.map(
        (event) => html`<tr data-event="${event.id}" data-action="${event.action}">
<td class="nowrap">${formatDateTimeVi(event.occurredAt.getTime())}</td>
<td>${event.unitCode ? html`<a href="/dashboard/campaigns/${campaign.id}/units/${event.unitCode}">${event.unitName ?? event.unitCode}</a>` : html`<span class="muted">Cả đợt</span>`}</td>
<td>${ACTION_LABEL_VI[event.action] ?? event.action}</td>
<td>${eventDetail(event)}</td>
<td class="small">${event.actorName ? html`<span data-testid="event-person">${event.actorName}</span><br><span class="muted">${actorLabelVi(event.actor)}</span>` : actorLabelVi(event.actor)}</td>
<td>${event.reason ?? ''}</td></tr>`,
      )}</tbody></table>`
}
${older ? html`<p><a class="btn light" href="${base}${query({ unit, before: older })}" data-testid="event-log-older">Các thay đổi cũ hơn</a></p>` : ''}
</section>`;
}

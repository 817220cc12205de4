import type { Actor } from '../domain/actors';
import { ROLE_LABEL_VI } from '../domain/actor-label';
import { DEADLINE_LABEL_VI, TIMELINE_KEYS, type Timeline } from '../domain/campaign';
import { formatDateTimeVi, formatDateVi, parseDeadline } from '../domain/deadlines';
import type { Area, Framework, FrameworkGroup } from '../domain/framework';
import { PROGRESS_STATUS_LABEL_VI, PROGRESS_STATUSES } from '../domain/progress';
import { decisionCitationVi, verificationLineVi } from '../domain/results-decision';
import { formatCentiVi, formatPercentVi, GROUP_AVERAGE_LABEL_VI, groupAverageIndexCenti, previousYearCaptionVi, YEAR_CHANGE_HEADERS_VI, yearChangeTextsVi, type YearChange } from '../domain/scoring';
import { CAMPAIGN_STAGES, STAGE_LABEL_VI, stageIndex, type CampaignStage } from '../domain/stages';
import { ownValue, UNIT_FLAG_LABEL_VI, UNIT_STAGE_LABEL_VI, UNIT_STAGES, UNIT_STATUS_LABEL_VI, type UnitStage } from '../domain/units';
import type { ProgressFilters } from '../application/views';
import type { UnitScoreLine } from '../application/views';
import type { CouncilReturn } from '../application/views';
import type { ProgressService } from '../application/services/progress';
import type { ResultsService } from '../application/services/results';
import type { EvidenceRow } from '../application/views';
import type { NotificationRow } from '../application/views';
import type { ContactRow } from '../application/views';
import type { ReminderPolicy } from '../domain/reminders';
import type { StoredFramework } from '../application/views';
import { rolesEverAllowed } from '../domain/permissions';
import { rankingChart } from './chart';
import { contactsCard } from './contacts-card';
import { reminderPolicyCard } from './reminder-policy-card';
import { frameworkDetailBody, frameworksBody } from './frameworks-page';
import { eventLogBody, type EventLogPageInput } from './event-log-page';
import { parkedChangesBody } from './parked-changes-page';
import { accountsBody, type AccountsPageInput } from './accounts-page';
import { passwordBody } from './password-page';
import { organisationsBody, type OrganisationsPageInput } from './organisations-page';
import type { ParkedChangeView } from '../application/services/parked-changes';
import { reminderLogBody, type ReminderLogPageInput } from './reminder-log-page';
import { surveyBody, type SurveyPageInput } from './survey-page';
import { appraisalForm, councilForm, type CouncilCandidates, guidanceCard, libraryCampaignForm, type LibraryCampaignFormInput, successorForm, type GuidanceStatus, type SuccessorFormInput, evidenceLink, evidenceUploadForm, explanationAnswerForm, selfAssessmentForm, steeringCard, unitExtensionForm, type SelfAssessmentFormInput } from './forms';
import { html, query, type Html } from './html';

/**
 * The dashboard's pages as pure functions of what the services answered: no
 * IO here, so each page is what its data say. Vietnamese throughout; dates
 * dd/mm/yyyy in Asia/Ho_Chi_Minh; points with a decimal comma.
 */

type Overview = Awaited<ReturnType<ProgressService['overview']>>;
type UnitDetail = Awaited<ReturnType<ProgressService['unit']>>;
type CampaignHeader = Awaited<ReturnType<ProgressService['campaign']>>;
type Ranking = Awaited<ReturnType<ResultsService['ranking']>>;

export interface PageFrame {
  title: string;
  actor: Actor | null;
  /** Links shown in the header, in order. */
  nav?: { href: string; label: string }[];
}

export function layout(frame: PageFrame, body: Html): Html {
  const base = frame.nav ?? (frame.actor ? [{ href: '/dashboard', label: 'Đợt đánh giá' }] : []);
  // Sở Nội vụ keeps the library; everyone signed in may read it (domain/permissions.ts), by its address.
  const library =
    frame.actor?.role === 'admin'
      ? [
          { href: '/dashboard/frameworks', label: 'Bộ tiêu chí' },
          { href: '/dashboard/accounts', label: 'Tài khoản' },
          { href: '/dashboard/parked-changes', label: 'Thay đổi chưa ghi' },
        ]
      : [];
  // Staff read the organisation directory; the admin also keeps it.
  const directory = frame.actor && rolesEverAllowed('organisations.read').includes(frame.actor.role) ? [{ href: '/dashboard/organisations', label: 'Tổ chức' }] : [];
  // Reminders and escalations reach units, Sở Nội vụ and coordinators (application/services/notifications.ts).
  const readsInbox = frame.actor && ['admin', 'coordinator', 'unit'].includes(frame.actor.role);
  const nav = [...base, ...library, ...directory, ...(readsInbox ? [{ href: '/dashboard/inbox', label: 'Thông báo' }] : [])];
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Chỉ số CCHC</title>
<link rel="stylesheet" href="/dashboard/assets/app.css">
<script src="/dashboard/assets/app.js" defer></script>
<script src="/dashboard/assets/forms.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/dashboard">Chỉ số CCHC</a>
  <nav>${nav.map((link) => html`<a href="${link.href}">${link.label}</a>`)}</nav>
  ${
    frame.actor
      ? html`<span class="who" data-testid="who">${frame.actor.id} · ${ROLE_LABEL_VI[frame.actor.role]}${frame.actor.unitCode ? ` (${frame.actor.unitCode})` : ''}</span>
  <a href="/dashboard/password" data-testid="nav-password">Đổi mật khẩu</a>
  <button type="button" id="logout">Đăng xuất</button>`
      : html`<a href="/dashboard/login">Đăng nhập</a>`
  }
</header>
<main>
${body}
</main>
<footer>Hệ thống theo dõi Chỉ số cải cách hành chính · giờ Việt Nam (Asia/Ho_Chi_Minh)</footer>
</body>
</html>`;
}

export function loginPage(next: string, message?: string): Html {
  return layout(
    { title: 'Đăng nhập', actor: null, nav: [] },
    html`<section class="card login">
  <h1>Đăng nhập</h1>
  <p class="sub">Hệ thống đánh giá Chỉ số cải cách hành chính</p>
  ${message ? html`<p class="notice">${message}</p>` : ''}
  <form id="login-form" data-next="${next}">
    <label for="username">Tên đăng nhập</label>
    <input id="username" name="username" autocomplete="username" required>
    <label for="password">Mật khẩu</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button class="btn" type="submit">Đăng nhập</button>
    <p id="login-message" class="muted" role="status"></p>
  </form>
</section>`,
  );
}

export function errorPage(actor: Actor | null, status: number, messageVi: string): Html {
  const heading = status === 403 ? 'Không có quyền truy cập' : status === 404 ? 'Không tìm thấy' : status === 503 ? 'Tạm thời gián đoạn' : 'Không thực hiện được';
  return layout({ title: heading, actor }, html`<h1>${heading}</h1><p class="error" data-testid="error">${messageVi}</p><p><a href="/dashboard">← Về danh sách đợt đánh giá</a></p>`);
}

export function campaignListPage(
  actor: Actor,
  campaigns: { id: string; year: number; nameVi: string; stage: CampaignStage; createdAt: Date }[],
  /** Sở Nội vụ's forms for a new campaign: next year's from the latest one (when there is one), and from the library. */
  creation?: { successor?: SuccessorFormInput; library: LibraryCampaignFormInput },
  /** Sở Nội vụ's administrators: how many steps the database refused to record (web/parked-changes-page.ts). */
  parkedChanges = 0,
): Html {
  return layout(
    { title: 'Đợt đánh giá', actor },
    html`<h1>Các đợt đánh giá Chỉ số CCHC</h1>
${
  parkedChanges > 0
    ? html`<p class="notice" data-testid="parked-notice">Có ${parkedChanges} thay đổi đã được chấp nhận nhưng chưa ghi được vào cơ sở dữ liệu. <a href="/dashboard/parked-changes">Xem và thử lại</a></p>`
    : ''
}
<p class="sub">Chọn một đợt để xem tiến độ${actor.role === 'unit' ? ' và hồ sơ của đơn vị mình' : ''}.</p>
${
  campaigns.length === 0
    ? html`<p class="notice">Chưa có đợt đánh giá nào.</p>`
    : html`<table>
<thead><tr><th>Năm</th><th>Đợt đánh giá</th><th>Giai đoạn</th><th>Ngày tạo</th></tr></thead>
<tbody>${campaigns.map(
        (campaign) => html`<tr>
  <td>${campaign.year}</td>
  <td><a href="/dashboard/campaigns/${campaign.id}">${campaign.nameVi}</a><div class="muted">${campaign.id}</div></td>
  <td>${STAGE_LABEL_VI[campaign.stage]}</td>
  <td>${formatDateVi(campaign.createdAt.getTime())}</td>
</tr>`,
      )}</tbody></table>`
}
${creation?.successor ? successorForm(creation.successor) : ''}
${creation ? libraryCampaignForm(creation.library) : ''}`,
  );
}

/** The reminder log and the event log are for Sở Nội vụ and coordinators (application/services/notifications.ts, domain/permissions.ts 'campaign.events'). */
const readsStaffLogs = (actor: Actor) => rolesEverAllowed('campaign.events').includes(actor.role);

function campaignNav(campaignId: string, actor: Actor): { href: string; label: string }[] {
  const links = [
    { href: '/dashboard', label: 'Đợt đánh giá' },
    { href: `/dashboard/campaigns/${campaignId}`, label: 'Tiến độ' },
    { href: `/dashboard/campaigns/${campaignId}/ranking`, label: 'Xếp hạng' },
  ];
  if (actor.role === 'unit' && actor.unitCode) links.push({ href: `/dashboard/campaigns/${campaignId}/units/${actor.unitCode}`, label: 'Đơn vị của tôi' });
  if (rolesEverAllowed('survey.read').includes(actor.role)) links.push({ href: `/dashboard/campaigns/${campaignId}/survey`, label: 'Điều tra XHH' });
  if (readsStaffLogs(actor)) {
    links.push({ href: `/dashboard/campaigns/${campaignId}/reminders`, label: 'Nhắc hạn' }, { href: `/dashboard/campaigns/${campaignId}/events`, label: 'Nhật ký' });
  }
  return links;
}

export function eventLogPage(actor: Actor, input: EventLogPageInput): Html {
  return layout({ title: 'Nhật ký thay đổi', actor, nav: campaignNav(input.campaign.id, actor) }, eventLogBody(input));
}

export function accountsPage(actor: Actor, input: AccountsPageInput): Html {
  return layout({ title: 'Tài khoản', actor }, accountsBody(input));
}

export function organisationsPage(actor: Actor, input: OrganisationsPageInput): Html {
  return layout({ title: 'Tổ chức', actor }, organisationsBody(input));
}

/** A forced change shows no navigation: every other page leads back here until the password is changed. */
export function passwordPage(actor: Actor, input: { forced: boolean; next: string }): Html {
  return layout({ title: 'Đổi mật khẩu', actor, ...(input.forced ? { nav: [] } : {}) }, passwordBody(input));
}

export function parkedChangesPage(actor: Actor, rows: ParkedChangeView[]): Html {
  return layout({ title: 'Thay đổi chưa ghi được', actor }, parkedChangesBody(rows));
}

export function reminderLogPage(actor: Actor, input: ReminderLogPageInput): Html {
  return layout({ title: 'Nhật ký nhắc hạn', actor, nav: campaignNav(input.campaign.id, actor) }, reminderLogBody(input));
}

export function surveyPage(input: SurveyPageInput): Html {
  return layout({ title: 'Điều tra xã hội học', actor: input.actor, nav: campaignNav(input.campaign.id, input.actor) }, surveyBody(input));
}

function deadlineText(text: string | undefined): string {
  const at = text === undefined ? null : parseDeadline(text);
  return at === null ? '—' : formatDateVi(at);
}

function timelineSection(campaign: { stage: CampaignStage; timeline: Timeline | null }): Html {
  const current = stageIndex(campaign.stage);
  return html`<section class="card" data-testid="timeline">
<h2>Lịch trình</h2>
<ol class="timeline">${CAMPAIGN_STAGES.map((stage, index) => {
    const state = index < current ? 'past' : index === current ? 'current' : 'next';
    return html`<li class="${state}">${index + 1}. ${STAGE_LABEL_VI[stage]}</li>`;
  })}</ol>
<table><thead><tr><th>Mốc</th><th>Thời hạn</th></tr></thead><tbody>
${TIMELINE_KEYS.map((key) => html`<tr><td>${DEADLINE_LABEL_VI[key]}</td><td>${deadlineText(campaign.timeline?.[key])}</td></tr>`)}
</tbody></table>
</section>`;
}

function statusBadge(status: keyof typeof PROGRESS_STATUS_LABEL_VI): Html {
  return html`<span class="badge s-${status}">${PROGRESS_STATUS_LABEL_VI[status]}</span>`;
}

function daysLeftText(days: number): string {
  if (days === 0) return 'hôm nay';
  return days > 0 ? `còn ${days} ngày` : `quá ${-days} ngày`;
}

export interface CampaignPageInput {
  actor: Actor;
  campaign: CampaignHeader;
  /** In the guidance stage, for staff: who has sent guidance. */
  guidance?: GuidanceStatus;
  /** null when the actor may not read the progress of every unit (a unit before publication). */
  overview: Overview | null;
  refusedVi?: string;
  filters: ProgressFilters;
  /** For the council while the results are before it: the ranked units it may return. */
  councilCandidates?: CouncilCandidates;
  /** For Sở Nội vụ until publication: the reminder policy in force, to change. */
  reminderPolicy?: ReminderPolicy;
}

export function campaignPage({ actor, campaign, guidance, overview, refusedVi, filters, councilCandidates, reminderPolicy }: CampaignPageInput): Html {
  const body = html`<h1>${campaign.nameVi}</h1>
<p class="sub">${campaign.id} · Giai đoạn hiện tại: <strong>${STAGE_LABEL_VI[campaign.stage]}</strong></p>
${guidance ? guidanceCard({ campaignId: campaign.id, actor, open: campaign.stage === 'guidance' && !campaign.guidancePublishedAt, guidance }) : ''}
${actor.role === 'admin' ? steeringCard(campaign) : ''}
${councilCandidates ? councilForm(campaign, councilCandidates) : ''}
${timelineSection(campaign)}
${reminderPolicy ? reminderPolicyCard(campaign.id, reminderPolicy) : ''}
${overview && campaign.stage === 'guidance' ? html`<p class="notice" data-testid="units-not-open">Các đơn vị bắt đầu tự đánh giá khi Sở Nội vụ công bố hướng dẫn tổng hợp; đến lúc đó mọi đơn vị được tính là "Chưa bắt đầu".</p>` : ''}
${overview ? progressSections(campaign.id, overview, filters) : html`<section class="card"><h2>Tiến độ</h2><p class="notice" data-testid="progress-refused">${refusedVi ?? ''}</p>
${actor.role === 'unit' && actor.unitCode ? html`<p><a class="btn" href="/dashboard/campaigns/${campaign.id}/units/${actor.unitCode}">Xem hồ sơ đơn vị của tôi</a></p>` : ''}</section>`}`;
  return layout({ title: campaign.nameVi, actor, nav: campaignNav(campaign.id, actor) }, body);
}

function progressSections(campaignId: string, overview: Overview, filters: ProgressFilters): Html {
  const { units } = overview;
  const filterQuery = { group: filters.group, stage: filters.stage, status: filters.status };
  const pageLink = (offset: number) => `/dashboard/campaigns/${campaignId}${query({ ...filterQuery, offset: offset || undefined })}`;
  const groups = Object.entries(overview.campaign.groupNames);
  return html`<section class="card" data-testid="counts">
<h2>Tiến độ theo giai đoạn</h2>
<p class="sub">Số liệu lúc ${formatDateTimeVi(overview.asOf.getTime())}${filters.group ? ` · nhóm ${overview.campaign.groupNames[filters.group] ?? filters.group}` : ''}</p>
<table>
<thead><tr><th>Giai đoạn</th>${PROGRESS_STATUSES.map((status) => html`<th class="num">${PROGRESS_STATUS_LABEL_VI[status]}</th>`)}<th class="num">Tổng số</th></tr></thead>
<tbody>
${overview.counts.map(
    ({ stage, counts }) => html`<tr><td>${UNIT_STAGE_LABEL_VI[stage]}</td>${PROGRESS_STATUSES.map((status) =>
      html`<td class="num">${counts[status] ? html`<a href="/dashboard/campaigns/${campaignId}${query({ group: filters.group, stage, status })}">${counts[status]}</a>` : '0'}</td>`,
    )}<td class="num">${counts.total}</td></tr>`,
  )}
<tr class="total"><td>Tổng cộng</td>${PROGRESS_STATUSES.map((status) => html`<td class="num">${overview.totals[status]}</td>`)}<td class="num">${overview.totals.total}</td></tr>
</tbody></table>
</section>
<section class="card">
<h2>Danh sách đơn vị</h2>
<form class="filters" method="get" action="/dashboard/campaigns/${campaignId}" data-testid="filters">
  <label>Nhóm<select name="group"><option value="">Tất cả</option>${groups.map(
    ([code, name]) => html`<option value="${code}" ${filters.group === code ? html`selected` : ''}>${name}</option>`,
  )}</select></label>
  <label>Giai đoạn<select name="stage"><option value="">Tất cả</option>${UNIT_STAGES.map(
    (stage) => html`<option value="${stage}" ${filters.stage === stage ? html`selected` : ''}>${UNIT_STAGE_LABEL_VI[stage]}</option>`,
  )}</select></label>
  <label>Tình trạng<select name="status"><option value="">Tất cả</option>${PROGRESS_STATUSES.map(
    (status) => html`<option value="${status}" ${filters.status === status ? html`selected` : ''}>${PROGRESS_STATUS_LABEL_VI[status]}</option>`,
  )}</select></label>
  <button class="btn" type="submit">Lọc</button>
  <a class="btn light" href="/dashboard/campaigns/${campaignId}">Bỏ lọc</a>
  <a class="btn light" href="/campaigns/${campaignId}/progress.xlsx${query(filterQuery)}">Tải Excel</a>
</form>
<p class="muted" data-testid="unit-count">${units.total} đơn vị${units.total > units.rows.length ? ` · hiển thị ${units.offset + 1}–${units.offset + units.rows.length}` : ''}</p>
<table data-testid="unit-table">
<thead><tr><th>Đơn vị</th><th>Nhóm</th><th>Giai đoạn</th><th>Tình trạng</th><th>Hoạt động gần nhất</th><th>Hạn tiếp theo</th><th class="num">Còn lại</th><th>Ghi chú</th></tr></thead>
<tbody>
${units.rows.map(
    (unit) => html`<tr data-unit="${unit.unitCode}">
  <td><a href="/dashboard/campaigns/${campaignId}/units/${unit.unitCode}">${unit.nameVi}</a></td>
  <td>${unit.groupNameVi}</td>
  <td>${UNIT_STAGE_LABEL_VI[unit.stage]}</td>
  <td>${statusBadge(unit.status)}</td>
  <td>${unit.lastActivityAt ? formatDateTimeVi(unit.lastActivityAt.getTime()) : '—'}</td>
  <td>${unit.nextDeadline ? `${unit.nextDeadline.labelVi}: ${formatDateVi(unit.nextDeadline.at.getTime())}` : '—'}</td>
  <td class="num">${unit.nextDeadline ? daysLeftText(unit.nextDeadline.daysLeft) : '—'}</td>
  <td>${unit.flags.map((flag) => UNIT_FLAG_LABEL_VI[flag]).join('; ')}</td>
</tr>`,
  )}
${units.rows.length === 0 ? html`<tr><td colspan="8" class="muted">Không có đơn vị nào khớp bộ lọc.</td></tr>` : ''}
</tbody></table>
${
  units.total > units.limit
    ? html`<div class="pager">${units.offset > 0 ? html`<a href="${pageLink(Math.max(0, units.offset - units.limit))}">← Trang trước</a>` : ''}
${units.offset + units.limit < units.total ? html`<a href="${pageLink(units.offset + units.limit)}">Trang sau →</a>` : ''}</div>`
    : ''
}
</section>`;
}

function points(cell: { pointsCenti: number } | null): string {
  return cell ? formatCentiVi(cell.pointsCenti) : '—';
}

export interface UnitPageInput {
  actor: Actor;
  detail: UnitDetail;
  /** null when the actor may see the unit's state but not its score sheet. */
  scores: UnitScoreLine[] | null;
  scoresRefusedVi?: string;
  /** The unit's own saved draft, for its self-assessment sheet. */
  draft?: SelfAssessmentFormInput['draft'];
  /** Files uploaded for the unit (application/services/evidence.ts), when the actor may list them. */
  uploads?: EvidenceRow[];
  /** Who receives the unit's reminders, when the contact service lets the actor read them. */
  contacts?: ContactRow[];
}

function isOwnUnit(actor: Actor, unitCode: string): boolean {
  return actor.role === 'unit' && actor.unitCode === unitCode;
}

/** The actor is the unit itself and its self-assessment is still open: it gets its sheet (and its draft is loaded). */
export function writesSelfAssessment(actor: Actor, unit: { unitCode: string; stage: string; status: string }): boolean {
  return isOwnUnit(actor, unit.unitCode) && unit.stage === 'self_assessment' && (unit.status === 'pending' || unit.status === 'overdue');
}

export function unitPage({ actor, detail, scores, scoresRefusedVi, draft = null, uploads, contacts }: UnitPageInput): Html {
  const { campaign, unit } = detail;
  const { stage } = unit;
  const own = isOwnUnit(actor, unit.unitCode);
  const showsSheet = writesSelfAssessment(actor, unit) && detail.framework !== null;
  const answers = own && stage === 'explanations';
  const uploadsFiles = (own || actor.role === 'admin') && campaign.stage !== 'published';
  const byCode = new Map((scores ?? []).map((line) => [line.subcriterionCode, line]));
  const evidence = [
    ...(scores ?? []).flatMap((line) => (line.self?.evidence ?? []).map((item) => ({ code: line.subcriterionCode, source: 'Tự đánh giá', ...item }))),
    ...detail.explanationRequests.flatMap((request) =>
      (request.answerEvidence ?? []).map((item) => ({ code: request.subcriterionCode, source: 'Giải trình', ...item })),
    ),
  ];
  const body = html`<p class="muted"><a href="/dashboard/campaigns/${campaign.id}">← ${campaign.nameVi}</a></p>
<h1 data-testid="unit-name">${unit.nameVi}</h1>
<p class="sub">${unit.unitCode} · ${unit.groupNameVi}${
    readsStaffLogs(actor) ? html` · <a href="/dashboard/campaigns/${campaign.id}/events?unit=${unit.unitCode}" data-testid="unit-event-log">Nhật ký thay đổi của đơn vị</a>` : ''
  }</p>
<section class="card" data-testid="unit-state">
<table><tbody>
<tr><th>Giai đoạn</th><td>${UNIT_STAGE_LABEL_VI[stage]}</td></tr>
<tr><th>Trạng thái</th><td>${UNIT_STATUS_LABEL_VI[unit.status]}</td></tr>
<tr><th>Hạn tiếp theo</th><td>${
    detail.nextDeadline
      ? `${detail.nextDeadline.labelVi}: ${formatDateVi(detail.nextDeadline.at.getTime())} (${daysLeftText(detail.nextDeadline.daysLeft)})`
      : '—'
  }</td></tr>
<tr><th>Ngày nộp tự đánh giá</th><td>${unit.submittedAt ? formatDateTimeVi(unit.submittedAt.getTime()) : 'Chưa nộp'}</td></tr>
<tr><th>Hoạt động gần nhất</th><td>${unit.lastActivityAt ? formatDateTimeVi(unit.lastActivityAt.getTime()) : '—'}</td></tr>
<tr><th>Ghi chú</th><td>${unit.flags.map((flag) => UNIT_FLAG_LABEL_VI[flag]).join('; ') || '—'}</td></tr>
</tbody></table>
</section>
${detail.councilReturn ? councilReturnNotice(detail.councilReturn, stage) : ''}
${actor.role === 'admin' && (stage === 'self_assessment' || stage === 'explanations') ? unitExtensionForm(campaign.id, unit.unitCode) : ''}
${appraisalForms(actor, detail, byCode)}
${showsSheet ? selfAssessmentForm({ campaignId: campaign.id, unitCode: unit.unitCode, framework: detail.framework!, draft, pastDeadline: unit.status === 'overdue' }) : ''}
${
  // While the unit writes its sheet there is nothing to show in the columns yet: the sheet is the score table.
  showsSheet
    ? ''
    : html`<section class="card" data-testid="scores">
<h2>Điểm theo lĩnh vực</h2>
${scores === null ? html`<p class="notice">${scoresRefusedVi ?? ''}</p>` : scoreTables(detail.framework, byCode)}
</section>`
}
<section class="card" data-testid="explanations">
<h2>Yêu cầu giải trình</h2>
${
  detail.explanationRequests.length === 0
    ? html`<p class="muted">Chưa có yêu cầu giải trình.</p>`
    : html`<table><thead><tr><th>Tiêu chí</th><th>Nội dung yêu cầu</th><th>Người yêu cầu</th><th>Hạn trả lời</th><th>Trả lời của đơn vị</th><th>Ngày trả lời</th></tr></thead><tbody>
${detail.explanationRequests.map(
        (request) => html`<tr data-request="${request.subcriterionCode}"><td>${request.subcriterionCode}</td><td>${request.question}</td><td>${request.requestedBy}</td><td>${formatDateVi(request.dueAt.getTime())}</td>
<td>${
          request.answerNote ??
          (answers ? explanationAnswerForm(campaign.id, unit.unitCode, request) : html`<span class="badge s-not_started">Chưa trả lời</span>`)
        }</td><td>${request.answeredAt ? formatDateTimeVi(request.answeredAt.getTime()) : '—'}</td></tr>`,
      )}</tbody></table>`
}
</section>
<section class="card" data-testid="evidence">
<h2>Tài liệu kiểm chứng</h2>
${
  evidence.length === 0
    ? html`<p class="muted">Chưa có tài liệu kiểm chứng gắn với tiêu chí.</p>`
    : html`<table><thead><tr><th>Tiêu chí</th><th>Tài liệu</th><th>Mã tham chiếu</th><th>Nguồn</th></tr></thead><tbody>
${evidence.map((item) => html`<tr><td>${item.code}</td><td>${evidenceLink(item)}</td><td class="muted">${item.ref}</td><td>${item.source}</td></tr>`)}
</tbody></table>`
}
${uploads ? uploadsTable(uploads) : ''}
${uploadsFiles ? evidenceUploadForm(campaign.id, unit.unitCode) : ''}
</section>
${contacts ? contactsCard(actor, unit.unitCode, contacts, readsStaffLogs(actor) ? `/dashboard/campaigns/${campaign.id}/reminders?unit=${unit.unitCode}` : undefined) : ''}`;
  return layout({ title: unit.nameVi, actor, nav: campaignNav(campaign.id, actor) }, body);
}

/** What the council returned of this unit and why; while the areas are appraised again, which of them are done. */
function councilReturnNotice(returned: CouncilReturn, stage: UnitStage): Html {
  const pending = returned.areas.filter((code) => !returned.appraisedSince.includes(code));
  return html`<section class="card" data-testid="council-return">
<h2>Hội đồng thẩm định trả lại (phiên họp thứ ${returned.councilRound}, ${formatDateTimeVi(returned.returnedAt.getTime())})</h2>
<p>Lĩnh vực cần thẩm định lại: <strong>${returned.areas.join(', ')}</strong>. Lý do: ${returned.reason}</p>
${
  stage === 'appraisal_round_2'
    ? html`<p class="notice">${pending.length ? `Còn chờ thẩm định lại: lĩnh vực ${pending.join(', ')}.` : 'Đã thẩm định lại đủ các lĩnh vực; đang chờ cập nhật.'}</p>`
    : ''
}
</section>`;
}

/**
 * The areas the actor appraises now: in round 1 every area it owns (Sở Nội vụ: all) not yet
 * appraised; in round 2 those among them where the unit was asked to explain, or, for a unit
 * the council returned, the areas it named that are not appraised again yet. The workflow
 * decides in the end.
 */
function appraisalForms(actor: Actor, detail: UnitDetail, lines: Map<string, UnitScoreLine>): Html[] {
  const round = detail.unit.stage === 'appraisal_round_1' ? 1 : detail.unit.stage === 'appraisal_round_2' ? 2 : null;
  if (round === null || !detail.framework || (actor.role !== 'admin' && actor.role !== 'contributor')) return [];
  const reopened = round === 2 ? detail.councilReturn : null;
  const column = round === 1 ? 'round1' : 'round2';
  const due = (area: Area) =>
    reopened
      ? reopened.areas.includes(area.code) && !reopened.appraisedSince.includes(area.code)
      : (round === 1 || detail.explanationRequests.some((request) => request.areaCode === area.code)) &&
        area.criteria.some((criterion) => criterion.subcriteria.some((sub) => !lines.get(sub.code)?.[column]));
  return detail.framework.areas
    .filter((area) => actor.role === 'admin' || (ownValue(detail.areaOwners, area.code) ?? []).includes(actor.unitCode ?? ''))
    .filter(due)
    .map((area) =>
      appraisalForm({ campaignId: detail.campaign.id, unitCode: detail.unit.unitCode, area, round, lines, ...(reopened ? { councilReason: reopened.reason } : {}) }),
    );
}

function uploadsTable(uploads: EvidenceRow[]): Html {
  return html`<h3>Tệp đã tải lên</h3>
${
  uploads.length === 0
    ? html`<p class="muted">Chưa có tệp nào.</p>`
    : html`<table data-testid="uploads"><thead><tr><th>Tệp</th><th class="num">Dung lượng</th><th>Người tải lên</th><th>Thời điểm</th></tr></thead><tbody>
${uploads.map(
        (row) => html`<tr><td><a href="/evidence/${row.id}">${row.fileName}</a></td><td class="num">${(row.sizeBytes / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} KB</td>
<td>${row.uploadedBy}</td><td>${formatDateTimeVi(row.uploadedAt.getTime())}</td></tr>`,
      )}</tbody></table>`
}`;
}

function scoreTables(framework: FrameworkGroup | null, byCode: Map<string, UnitScoreLine>): Html {
  if (!framework) return html`<p class="muted">Không tìm thấy bộ tiêu chí của nhóm.</p>`;
  const sum = (codes: string[], column: 'self' | 'round1' | 'round2') => {
    const cells = codes.map((code) => byCode.get(code)?.[column]).filter((cell) => cell !== null && cell !== undefined);
    return cells.length ? formatCentiVi(cells.reduce((total, cell) => total + cell.pointsCenti, 0)) : '—';
  };
  return html`${framework.areas.map((area) => {
    const subs = area.criteria.flatMap((criterion) => criterion.subcriteria);
    const codes = subs.map((sub) => sub.code);
    return html`<h3>Lĩnh vực ${area.code}. ${area.name_vi} <span class="muted">(tối đa ${formatCentiVi(Math.round(area.max_points * 100))} điểm)</span></h3>
<table data-area="${area.code}"><thead><tr><th>Mã</th><th>Tiêu chí thành phần</th><th class="num">Điểm tối đa</th><th class="num">Tự chấm</th><th class="num">Thẩm định vòng 1</th><th class="num">Thẩm định vòng 2</th><th>Ghi chú thẩm định</th></tr></thead><tbody>
${subs.map((sub) => {
  const line = byCode.get(sub.code);
  const note = [line?.round1?.note, line?.round2?.note].filter(Boolean).join(' · ');
  return html`<tr><td>${sub.code}</td><td>${sub.name_vi}</td><td class="num">${formatCentiVi(Math.round(sub.max_points * 100))}</td>
<td class="num">${points(line?.self ?? null)}</td><td class="num">${points(line?.round1 ?? null)}</td><td class="num">${points(line?.round2 ?? null)}</td><td>${note}</td></tr>`;
})}
<tr class="total"><td></td><td>Cộng lĩnh vực ${area.code}</td><td class="num">${formatCentiVi(Math.round(area.max_points * 100))}</td><td class="num">${sum(codes, 'self')}</td><td class="num">${sum(codes, 'round1')}</td><td class="num">${sum(codes, 'round2')}</td><td></td></tr>
</tbody></table>`;
  })}`;
}

export interface RankingPageInput {
  actor: Actor | null;
  campaign: {
    id: string;
    nameVi: string;
    groupNames: Record<string, string>;
    publishedDecisionNumber: string | null;
    publishedDecisionDate: string | null;
    /** Frozen at publication (db/chain.ts resultsDigest); null before. */
    verificationDigest?: string | null;
  };
  ranking: Ranking;
  /** The public page links to its own PDF; insiders to the API's exports. */
  downloads: { href: string; label: string }[];
}

/** Published results cite their decision; a draft says which aggregation pass it shows and when it was computed. */
function rankingSourceVi(ranking: Ranking, campaign: RankingPageInput['campaign']): string {
  const citation = ranking.published ? decisionCitationVi(campaign) : undefined;
  return citation ? `Công bố kèm theo ${citation}` : `Lần tổng hợp ${ranking.pass} · ${formatDateTimeVi(ranking.computedAt.getTime())}`;
}

function groupAverageRow(indexes: number[], comparedWithLastYear: boolean): Html | string {
  const average = groupAverageIndexCenti(indexes);
  if (average === undefined) return '';
  const yearChangeColumns = comparedWithLastYear ? html`<td colspan="${Object.keys(YEAR_CHANGE_HEADERS_VI).length}"></td>` : '';
  return html`<tr class="total" data-testid="group-average"><td></td><td colspan="5">${GROUP_AVERAGE_LABEL_VI}</td><td class="num">${formatPercentVi(average)}</td>${yearChangeColumns}</tr>`;
}

/** Last year's rank and index and the changes in words, when the campaign compares with a published predecessor. */
function yearChangeHeads(ranking: Ranking): Html | string {
  if (!ranking.previous) return '';
  return html`<th class="num">${YEAR_CHANGE_HEADERS_VI.previousRank}</th><th>${YEAR_CHANGE_HEADERS_VI.rankChange}</th><th class="num">${YEAR_CHANGE_HEADERS_VI.previousIndex}</th><th class="num">${YEAR_CHANGE_HEADERS_VI.indexChange}</th>`;
}

function yearChangeCells(change: YearChange | null): Html | string {
  if (!change) return '';
  const texts = yearChangeTextsVi(change);
  const trend = change.rankChange === null || change.rankChange === 0 ? '' : change.rankChange > 0 ? 'up' : 'down';
  return html`<td class="num" data-change="previous-rank">${texts.previousRank}</td><td class="nowrap ${trend}" data-change="rank">${texts.rankChange}</td><td class="num" data-change="previous-index">${texts.previousIndex}</td><td class="num" data-change="index">${texts.indexChange}</td>`;
}

export function rankingPage({ actor, campaign, ranking, downloads }: RankingPageInput): Html {
  const heading = ranking.published ? 'Kết quả xếp hạng Chỉ số CCHC' : 'Kết quả xếp hạng (chưa công bố)';
  const body = html`<h1>${heading}</h1>
<p class="sub">${campaign.nameVi} · ${rankingSourceVi(ranking, campaign)}</p>
${ranking.previous ? html`<p class="sub" data-testid="compared-with">${previousYearCaptionVi(ranking.previous)}</p>` : ''}
${ranking.published && campaign.verificationDigest ? html`<p class="sub" data-testid="verification-code">${verificationLineVi(campaign.verificationDigest)} · <a href="/campaigns/${campaign.id}/verification">kiểm tra</a>${actor && readsStaffLogs(actor) ? html` · <a href="/campaigns/${campaign.id}/verification/bundle">gói kiểm chứng</a>` : ''}</p>` : ''}
${ranking.published ? '' : html`<p class="notice" data-testid="draft-notice">Kết quả đang chờ Hội đồng thẩm định và công bố; chỉ Sở Nội vụ, điều phối viên và Hội đồng xem được.</p>`}
<p>${downloads.map((link) => html`<a class="btn light" href="${link.href}">${link.label}</a> `)}</p>
${ranking.groups.map((group) => {
    const name = campaign.groupNames[group.code] ?? group.code;
    return html`<section class="card" data-group="${group.code}">
<h2>${name}</h2>
${rankingChart(`Chỉ số CCHC — ${name}`, group.units.map((unit) => ({ label: unit.nameVi, valueCenti: unit.indexCenti, rank: unit.rank })))}
<div class="table-scroll"><table class="ranking"><thead><tr><th class="num">Xếp hạng</th><th>Đơn vị</th><th class="num">Điểm thẩm định</th><th class="num">Điểm điều tra XHH</th><th class="num">Điểm cộng/trừ</th><th class="num">Tổng điểm</th><th class="num">Chỉ số (%)</th>${yearChangeHeads(ranking)}</tr></thead><tbody>
${group.units.map(
  (unit) => html`<tr data-unit="${unit.unitCode}"><td class="num">${unit.rank}</td><td class="name">${unit.nameVi}</td><td class="num">${formatCentiVi(unit.assessedCenti)}</td><td class="num">${unit.surveyCenti === null ? '—' : formatCentiVi(unit.surveyCenti)}</td>
<td class="num">${formatCentiVi(unit.bonusCenti - unit.penaltyCenti)}</td><td class="num">${formatCentiVi(unit.totalCenti)}</td><td class="num">${formatCentiVi(unit.indexCenti)}%</td>${yearChangeCells(unit.change)}</tr>`,
)}${groupAverageRow(group.units.map((unit) => unit.indexCenti), Boolean(ranking.previous))}</tbody></table></div>
</section>`;
  })}`;
  const nav = actor ? campaignNav(campaign.id, actor) : [];
  return layout({ title: heading, actor, nav }, body);
}

export function frameworksPage(actor: Actor, frameworks: StoredFramework[]): Html {
  return layout({ title: 'Thư viện bộ tiêu chí', actor }, frameworksBody(actor, frameworks));
}

export function frameworkPage(actor: Actor, stored: StoredFramework & { document: Framework }): Html {
  return layout({ title: stored.titleVi, actor }, frameworkDetailBody(stored, stored.document));
}

export interface InboxPageInput {
  actor: Actor;
  inbox: { recipient: string; unread: number; items: NotificationRow[] };
}

/** The reminders and escalations addressed to the actor's unit (Sở Nội vụ's for staff), newest first. */
export function inboxPage({ actor, inbox }: InboxPageInput): Html {
  return layout(
    { title: 'Thông báo', actor },
    html`<h1>Thông báo</h1>
<p class="sub">Hộp thư của ${inbox.recipient} · <span data-testid="unread">${inbox.unread} chưa đọc</span></p>
${
  inbox.items.length === 0
    ? html`<p class="notice">Chưa có thông báo nào.</p>`
    : html`<section class="card"><table data-testid="inbox"><thead><tr><th>Thời điểm</th><th>Nội dung</th><th>Hạn</th><th></th></tr></thead><tbody>
${inbox.items.map(
        (item) => html`<tr class="${item.readAt ? 'read' : 'unread'}" data-notification="${item.id}">
<td class="nowrap">${formatDateTimeVi(item.createdAt.getTime())}</td>
<td><strong>${item.title}</strong><div class="small">${item.body}</div><a href="${item.link}">Mở hồ sơ đơn vị</a></td>
<td class="nowrap">${formatDateTimeVi(item.deadline.getTime())}</td>
<td>${
          item.readAt
            ? html`<span class="muted">Đã đọc ${formatDateTimeVi(item.readAt.getTime())}</span>`
            : html`<form data-json data-url="/inbox/${item.id}/read" data-done="Đã đánh dấu."><button class="btn light" type="submit">Đánh dấu đã đọc</button><div class="form-message" role="status"></div></form>`
        }</td></tr>`,
      )}</tbody></table></section>`
}`,
  );
}

export function messagePage(actor: Actor | null, title: string, messageVi: string, campaignId?: string): Html {
  return layout(
    { title, actor, ...(actor && campaignId ? { nav: campaignNav(campaignId, actor) } : {}) },
    html`<h1>${title}</h1><p class="notice" data-testid="message">${messageVi}</p>`,
  );
}

import { DEADLINE_LABEL_VI, TIMELINE_KEYS, type CampaignDefinition, type Timeline } from '../domain/campaign';
import { formatDateTimeVi, parseDeadline, VIETNAM_TIME_ZONE } from '../domain/deadlines';
import type { Area, FrameworkGroup, Subcriterion } from '../domain/framework';
import { describeInputVi, describeRuleVi, expectedInputKind, formatCentiVi, type ScoreInput } from '../domain/scoring';
import type { ScoreCell, UnitScoreLine } from '../application/views';
import type { SelfAssessmentDraft } from '../domain/steps';
import { UNIT_DEADLINE_KEYS } from '../domain/steps';
import type { ProgressService } from '../application/services/progress';
import { html, type Html } from './html';

/**
 * The forms through which each role does its job in the browser:
 * a unit writes, saves and submits its self-assessment and answers
 * explanation requests; Sở Nội vụ publishes the guidance, moves deadlines for
 * all or one unit and publishes the results; the council decides. Each form
 * names the API route it posts to (web/static/forms.js sends it with the
 * session cookie), so the browser goes through the same checks as any client.
 * Pure renderers: the pages decide who sees which form.
 */

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.zip';

/** Where web/static/forms.js writes a form's answer; every action form has one. */
export const formMessage = html`<div class="form-message" role="status" aria-live="polite"></div>`;

const unitUrl = (campaignId: string, unitCode: string) => `/campaigns/${campaignId}/units/${unitCode}`;

export interface EvidenceItem {
  name: string;
  ref: string;
}

/** Files already attached, each removable, and a file input that uploads at once and adds the file to the list. */
function evidencePicker(options: { id: string; uploadUrl: string; field?: string; items: EvidenceItem[] }): Html {
  return html`<ul class="evidence" data-evidence-list id="${options.id}" ${options.field ? html`data-field="${options.field}"` : ''}>${options.items.map(
    (item) => html`<li data-name="${item.name}" data-ref="${item.ref}">${item.name} <button type="button" class="link" data-remove-evidence>Bỏ</button></li>`,
  )}</ul>
<label class="upload"><span>Đính kèm tệp</span><input type="file" accept="${ACCEPT}" data-upload-url="${options.uploadUrl}" data-list="${options.id}"><span class="upload-status muted"></span></label>`;
}

function inputField(sub: Subcriterion, input: ScoreInput | undefined): Html {
  const kind = expectedInputKind(sub.rule);
  if (kind === 'boolean') {
    const value = input?.kind === 'boolean' ? String(input.value) : '';
    return html`<select name="value" aria-label="Điểm ${sub.code}">
<option value="" ${value === '' ? html`selected` : ''}>— chọn —</option>
<option value="true" ${value === 'true' ? html`selected` : ''}>Có</option>
<option value="false" ${value === 'false' ? html`selected` : ''}>Không</option></select>`;
  }
  const centi = input?.kind === 'percent' ? input.percentCenti : input?.kind === 'points' ? input.pointsCenti : undefined;
  return html`<input name="value" inputmode="decimal" size="7" aria-label="Điểm ${sub.code}" value="${centi === undefined ? '' : formatCentiVi(centi)}"> ${kind === 'percent' ? '%' : 'điểm'}`;
}

export interface SelfAssessmentFormInput {
  campaignId: string;
  unitCode: string;
  framework: FrameworkGroup;
  draft: { draft: SelfAssessmentDraft; savedAt: Date } | null;
  /** The unit's own self-assessment deadline has passed: the submission will be refused until Sở Nội vụ extends it. */
  pastDeadline: boolean;
}

/** The unit's self-assessment sheet: one row per sub-criterion, prefilled from its last draft. */
export function selfAssessmentForm({ campaignId, unitCode, framework, draft, pastDeadline }: SelfAssessmentFormInput): Html {
  const saved = new Map((draft?.draft.scores ?? []).map((score) => [score.code, score]));
  const base = unitUrl(campaignId, unitCode);
  return html`<section class="card" data-testid="self-assessment-form">
<h2>Báo cáo tự đánh giá</h2>
<p class="sub">Chấm từng tiêu chí thành phần theo hướng dẫn; tiêu chí có dấu * cần tài liệu kiểm chứng hoặc giải thích cách chấm. Có thể lưu nháp nhiều lần; nộp một lần.</p>
${draft ? html`<p class="muted" data-testid="draft-saved">Bản nháp đã lưu lúc ${formatDateTimeVi(draft.savedAt.getTime())}.</p>` : ''}
${pastDeadline ? html`<p class="notice">Đã quá hạn nộp báo cáo. Đơn vị vẫn lưu nháp được; để nộp, đề nghị Sở Nội vụ gia hạn.</p>` : ''}
<form data-self-assessment data-draft-url="${base}/self-assessment/draft" data-submit-url="${base}/self-assessment">
${framework.areas.map(
  (area) => html`<h3>Lĩnh vực ${area.code}. ${area.name_vi} <span class="muted">(tối đa ${formatCentiVi(Math.round(area.max_points * 100))} điểm)</span></h3>
<table class="sheet"><thead><tr><th>Mã</th><th>Tiêu chí thành phần và cách chấm</th><th class="num">Tối đa</th><th>Tự chấm</th><th>Tài liệu kiểm chứng</th><th>Giải thích</th></tr></thead><tbody>
${area.criteria.flatMap((criterion) => criterion.subcriteria).map((sub) => {
  const row = saved.get(sub.code);
  return html`<tr data-sub="${sub.code}" data-input-kind="${expectedInputKind(sub.rule)}">
<td>${sub.code}${sub.evidence_required ? ' *' : ''}</td>
<td>${sub.name_vi}<div class="muted small">${describeRuleVi(sub)}</div></td>
<td class="num">${formatCentiVi(Math.round(sub.max_points * 100))}</td>
<td class="nowrap">${inputField(sub, row?.input)}</td>
<td>${evidencePicker({ id: `ev-${sub.code}`, uploadUrl: `${base}/evidence`, items: row?.evidence ?? [] })}</td>
<td><textarea name="note" rows="2" aria-label="Giải thích ${sub.code}">${row?.note ?? ''}</textarea></td>
</tr>`;
})}
</tbody></table>`,
)}
<p class="approve"><label>Thủ trưởng đơn vị phê duyệt báo cáo <input name="approved_by" size="40" value="${draft?.draft.approvedBy ?? ''}" placeholder="Họ tên, chức vụ"></label></p>
${formMessage}
<p class="actions"><button class="btn light" type="submit" name="intent" value="draft">Lưu nháp</button>
<button class="btn" type="submit" name="intent" value="submit">Nộp báo cáo</button></p>
</form>
</section>`;
}

/** A stored file's ref (evidence:<id>) becomes a download link; an external ref is shown as it is. */
export function evidenceLink(item: EvidenceItem): Html {
  const id = /^evidence:([0-9a-f-]{36})$/.exec(item.ref)?.[1];
  return id ? html`<a href="/evidence/${id}">${item.name}</a>` : html`${item.name}`;
}

/** A score column as an appraiser reads it: the input, the points, the unit's note and its files. */
function cellSummary(cell: ScoreCell | null): Html {
  if (!cell) return html`<span class="muted">—</span>`;
  return html`<strong>${formatCentiVi(cell.pointsCenti)}</strong> <span class="muted">(${describeInputVi(cell.input)})</span>
${cell.note ? html`<div class="small">${cell.note}</div>` : ''}
${cell.evidence.length ? html`<div class="small">${cell.evidence.map((item, index) => html`${index ? ', ' : ''}${evidenceLink(item)}`)}</div>` : ''}`;
}

export interface AppraisalFormInput {
  campaignId: string;
  unitCode: string;
  area: Area;
  round: 1 | 2;
  lines: Map<string, UnitScoreLine>;
  /** The council returned this area: it is appraised again from its latest score, for this reason. */
  councilReason?: string;
}

/** The score an appraisal starts from: the unit's own in round 1, then round 1's; after a council return, the latest. */
function startingCell(line: UnitScoreLine | undefined, round: 1 | 2, reopened: boolean): ScoreCell | null {
  if (!line) return null;
  if (round === 1) return line.self;
  return (reopened ? line.round2 : null) ?? line.round1 ?? line.self;
}

/**
 * One area's appraisal by its owner department (or Sở Nội vụ): the unit's
 * score and evidence beside the appraised score, prefilled with the column
 * before, a reason wherever it changes, and in round 1 a question where the
 * unit must explain. After a council return the area starts from its latest
 * appraisal, the reasons given then included, since the server asks a reason
 * for every change from round 1.
 */
export function appraisalForm({ campaignId, unitCode, area, round, lines, councilReason }: AppraisalFormInput): Html {
  const reopened = councilReason !== undefined;
  const startingFrom = round === 1 ? 'đơn vị tự chấm' : reopened ? 'thẩm định gần nhất' : 'thẩm định vòng 1';
  return html`<section class="card" data-testid="appraisal-form" data-area="${area.code}">
<h2>${reopened ? 'Thẩm định lại theo yêu cầu của Hội đồng' : `Thẩm định vòng ${round}`} · Lĩnh vực ${area.code}. ${area.name_vi}</h2>
${reopened ? html`<p class="notice">Hội đồng thẩm định trả lại: ${councilReason}</p>` : ''}
<p class="sub">Điểm thẩm định được điền sẵn bằng điểm ${startingFrom}; ghi lý do ở mọi dòng thay đổi${round === 1 ? ', và nội dung cần đơn vị giải trình nếu có' : ' so với thẩm định vòng 1'}.</p>
<form data-appraisal data-url="${unitUrl(campaignId, unitCode)}/appraisals" data-round="${round}" data-area="${area.code}">
<table class="sheet"><thead><tr><th>Mã</th><th>Tiêu chí thành phần</th><th class="num">Tối đa</th><th>Đơn vị tự chấm</th>${round === 2 ? html`<th>Thẩm định vòng 1</th>` : ''}${reopened ? html`<th>Thẩm định vòng 2</th>` : ''}<th>Điểm thẩm định</th><th>Lý do điều chỉnh</th>${round === 1 ? html`<th>Yêu cầu giải trình</th>` : ''}</tr></thead><tbody>
${area.criteria.flatMap((criterion) => criterion.subcriteria).map((sub) => {
  const line = lines.get(sub.code);
  const start = startingCell(line, round, reopened);
  // The reason of a round-2 score carried forward still explains its change from round 1.
  const reason = reopened && line?.round2 && start === line.round2 ? line.round2.note : '';
  return html`<tr data-sub="${sub.code}" data-input-kind="${expectedInputKind(sub.rule)}">
<td>${sub.code}</td><td>${sub.name_vi}<div class="muted small">${describeRuleVi(sub)}</div></td><td class="num">${formatCentiVi(Math.round(sub.max_points * 100))}</td>
<td>${cellSummary(line?.self ?? null)}</td>${round === 2 ? html`<td>${cellSummary(line?.round1 ?? null)}</td>` : ''}${reopened ? html`<td>${cellSummary(line?.round2 ?? null)}</td>` : ''}
<td class="nowrap">${inputField(sub, start?.input)}</td>
<td><textarea name="reason" rows="2" aria-label="Lý do ${sub.code}">${reason}</textarea></td>
${round === 1 ? html`<td><textarea name="question" rows="2" aria-label="Yêu cầu giải trình ${sub.code}"></textarea></td>` : ''}
</tr>`;
})}
</tbody></table>
${formMessage}
<button class="btn" type="submit">Ghi nhận thẩm định lĩnh vực ${area.code}</button>
</form>
</section>`;
}

/** A unit's answer to one explanation request, with files. */
export function explanationAnswerForm(campaignId: string, unitCode: string, request: { id: string; subcriterionCode: string }): Html {
  const url = `${unitUrl(campaignId, unitCode)}/explanations/${encodeURIComponent(request.id)}/answer`;
  const listId = `ans-${request.subcriterionCode}-${request.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return html`<form class="inline" data-json data-url="${url}" data-done="Đã gửi giải trình." data-testid="answer-form">
<label>Nội dung giải trình<textarea name="note" rows="3" required></textarea></label>
${evidencePicker({ id: listId, uploadUrl: `${unitUrl(campaignId, unitCode)}/evidence`, field: 'evidence', items: [] })}
${formMessage}
<button class="btn" type="submit">Gửi giải trình</button>
</form>`;
}

/** Upload a file for the unit outside a step (it can then be attached when answering or submitting). */
export function evidenceUploadForm(campaignId: string, unitCode: string): Html {
  return html`<label class="upload"><span>Tải lên tài liệu kiểm chứng</span><input type="file" accept="${ACCEPT}" data-upload-url="${unitUrl(campaignId, unitCode)}/evidence" data-reload><span class="upload-status muted"></span></label>`;
}

function deadlineFields(keys: readonly (keyof Timeline)[]): Html {
  return html`<label>Mốc<select name="key">${keys.map((key) => html`<option value="${key}">${DEADLINE_LABEL_VI[key]}</option>`)}</select></label>
<label>Hạn mới<input type="date" name="deadline" required></label>
<label class="grow">Lý do<input name="reason" required maxlength="2000"></label>`;
}

/** Sở Nội vụ grants one unit more time (self-assessment or explanations). */
export function unitExtensionForm(campaignId: string, unitCode: string): Html {
  return html`<section class="card" data-testid="extension-form">
<h2>Gia hạn cho đơn vị</h2>
<form class="row" data-json data-url="/campaigns/${campaignId}/deadlines" data-done="Đã gia hạn cho đơn vị.">
<input type="hidden" name="unit_code" value="${unitCode}">
${deadlineFields(UNIT_DEADLINE_KEYS)}
<button class="btn" type="submit">Gia hạn</button>
${formMessage}
</form>
</section>`;
}


/** What Sở Nội vụ steers from the campaign page, by stage. */
export function steeringCard(campaign: { id: string; stage: string; guidancePublishedAt: Date | null }): Html {
  const base = `/campaigns/${campaign.id}`;
  return html`<section class="card" data-testid="steering">
<h2>Điều hành đợt đánh giá</h2>
${
  campaign.guidancePublishedAt
    ? html`<p class="notice" data-testid="guidance-opening">Hướng dẫn đã công bố lúc ${formatDateTimeVi(campaign.guidancePublishedAt.getTime())}; hệ thống đang mở giai đoạn tự đánh giá cho các đơn vị.</p>`
    : ''
}
${
  campaign.stage === 'guidance' && !campaign.guidancePublishedAt
    ? html`<h3>Công bố hướng dẫn chấm điểm và mở tự đánh giá</h3>
<form class="row" data-json data-url="${base}/guidance/publish" data-done="Đã công bố hướng dẫn; các đơn vị bắt đầu tự đánh giá." data-confirm="Công bố hướng dẫn tổng hợp và mở giai đoạn tự đánh giá cho mọi đơn vị?" data-testid="publish-guidance">
<label class="grow">Văn bản hướng dẫn<input name="document.name" required placeholder="Công văn số …/SNV-CCHC"></label>
<label class="grow">Liên kết hoặc số hiệu<input name="document.ref" required></label>
<label class="grow">Ghi chú<input name="note" data-optional></label>
<button class="btn" type="submit">Công bố hướng dẫn</button>
${formMessage}
</form>`
    : ''
}
${
  campaign.stage === 'guidance' || campaign.stage === 'self_assessment'
    ? html`<h3>Ghi nhận hội nghị triển khai</h3>
<form class="row" data-json data-url="${base}/kickoff" data-done="Đã ghi nhận hội nghị triển khai." data-testid="record-kickoff">
<label>Ngày tổ chức<input type="date" name="date" required></label>
<label class="grow">Ghi chú<input name="note" data-optional placeholder="Thành phần, nội dung chính"></label>
<button class="btn light" type="submit">Ghi nhận</button>
${formMessage}
</form>`
    : ''
}
${
  campaign.stage === 'publication'
    ? html`<h3>Công bố kết quả</h3>
<form class="row" data-json data-url="${base}/publication" data-done="Đã công bố kết quả." data-confirm="Công bố kết quả? Sau khi công bố, kết quả không thay đổi được nữa." data-testid="publish-results">
<label>Số quyết định<input name="decision_number" required placeholder="1234/QĐ-UBND"></label>
<label>Ngày quyết định<input type="date" name="decision_date" required></label>
<button class="btn" type="submit">Công bố kết quả</button>
${formMessage}
</form>`
    : ''
}
${
  campaign.stage === 'published'
    ? html`<p class="muted">Kết quả đã công bố; các mốc thời gian không còn thay đổi.</p>`
    : html`<h3>Thay đổi thời hạn cho mọi đơn vị</h3>
<form class="row" data-json data-url="${base}/deadlines" data-done="Đã thay đổi thời hạn." data-testid="move-deadline">
${deadlineFields(TIMELINE_KEYS)}
<button class="btn" type="submit">Thay đổi thời hạn</button>
${formMessage}
</form>`
}
</section>`;
}

/** The units the council may return, by group in ranking order (the ranking it decides on). */
export interface CouncilCandidates {
  groups: { nameVi: string; units: { unitCode: string; nameVi: string; rank: number }[] }[];
}

/** One unit the council returns: which unit, which areas, why. Forms.js numbers a copy for each unit added. */
function councilReturnRow(index: number, candidates: CouncilCandidates): Html {
  return html`<p class="row" data-return-row>
<label>Đơn vị<select name="returns.${index}.unit_code" data-optional><option value="">— chọn đơn vị —</option>
${candidates.groups.map(
  (group) => html`<optgroup label="${group.nameVi}">${group.units.map((unit) => html`<option value="${unit.unitCode}">${unit.rank}. ${unit.nameVi}</option>`)}</optgroup>`,
)}</select></label>
<label>Lĩnh vực (cách nhau bởi dấu phẩy)<input name="returns.${index}.areas" data-type="csv" data-optional placeholder="1, 3"></label>
<label class="grow">Lý do<input name="returns.${index}.reason" data-optional></label></p>`;
}

/** The appraisal council's decision on the aggregated results: approve, or return named units and areas. */
export function councilForm(campaign: { id: string }, candidates: CouncilCandidates): Html {
  return html`<section class="card" data-testid="council-form">
<h2>Quyết định của Hội đồng thẩm định</h2>
<p class="sub"><a href="/dashboard/campaigns/${campaign.id}/ranking">Xem bảng xếp hạng đang chờ quyết định</a></p>
<form data-json data-url="/campaigns/${campaign.id}/council-decisions" data-done="Đã ghi nhận quyết định của Hội đồng.">
<p class="row"><label class="choice"><input type="radio" name="decision" value="approve" checked> Thông qua kết quả</label>
<label class="choice"><input type="radio" name="decision" value="return"> Trả lại để thẩm định lại</label></p>
<p class="row"><label>Số thành viên có mặt<input type="number" min="1" name="members_present" data-type="int" required></label>
<label>Số phiếu tán thành<input type="number" min="0" name="votes_for" data-type="int" required></label>
<label class="grow">Ghi chú<input name="note" data-optional></label></p>
<fieldset data-return-rows><legend>Khi trả lại: đơn vị và lĩnh vực cần thẩm định lại</legend>
${councilReturnRow(0, candidates)}
<button class="btn light" type="button" data-add-return-row>Thêm đơn vị</button>
</fieldset>
${formMessage}
<button class="btn" type="submit">Ghi nhận quyết định</button>
</form>
</section>`;
}

export type GuidanceStatus = Awaited<ReturnType<ProgressService['guidance']>>;

/**
 * The guidance stage (Plan 245 part 1): each specialist department sends the
 * guidance for the areas it owns; Sở Nội vụ sees who has sent and who has not
 * before publishing the consolidated guidance. A department sees its own form.
 */
export function guidanceCard(input: { campaignId: string; actor: { role: string; unitCode?: string }; open: boolean; guidance: GuidanceStatus }): Html {
  const own = input.actor.role === 'contributor' ? input.guidance.find((row) => row.unit === input.actor.unitCode) : undefined;
  const sent = input.guidance.filter((row) => row.contribution).length;
  return html`<section class="card" data-testid="guidance">
<h2>Hướng dẫn chấm điểm của các cơ quan chuyên môn</h2>
<p class="sub">${sent}/${input.guidance.length} cơ quan đã gửi hướng dẫn.</p>
<table><thead><tr><th>Cơ quan</th><th>Lĩnh vực phụ trách</th><th>Văn bản hướng dẫn</th><th>Thời điểm gửi</th></tr></thead><tbody>
${input.guidance.map(
  (row) => html`<tr data-contributor="${row.unit}"><td>${row.unit}</td><td>${row.areasOwned.join(', ')}</td>
<td>${row.contribution ? html`${row.contribution.document.name}${row.contribution.summary ? html`<div class="small muted">${row.contribution.summary}</div>` : ''}` : html`<span class="badge s-not_started">Chưa gửi</span>`}</td>
<td>${row.contribution ? formatDateTimeVi(row.contribution.submittedAt.getTime()) : '—'}</td></tr>`,
)}
</tbody></table>
${
  own && input.open
    ? html`<h3>${own.contribution ? 'Gửi lại hướng dẫn' : 'Gửi hướng dẫn'} của ${own.unit}</h3>
<form class="row" data-json data-url="/campaigns/${input.campaignId}/guidance" data-done="Đã gửi hướng dẫn cho Sở Nội vụ." data-testid="guidance-form">
<input type="hidden" name="contributor" value="${own.unit}">
<fieldset><legend>Lĩnh vực</legend>${own.areasOwned.map((area) => html`<label><input type="checkbox" name="areas[]" value="${area}" checked> Lĩnh vực ${area}</label> `)}</fieldset>
<label class="grow">Văn bản hướng dẫn<input name="document.name" required placeholder="Công văn số …"></label>
<label class="grow">Liên kết hoặc số hiệu<input name="document.ref" required></label>
<label class="grow">Tóm tắt<input name="summary" data-optional></label>
<button class="btn" type="submit">Gửi hướng dẫn</button>
${formMessage}
</form>`
    : ''
}
</section>`;
}

/** A date input's value (YYYY-MM-DD, Asia/Ho_Chi_Minh) one year after a deadline. */
function nextYearDay(deadline: string): string {
  const at = parseDeadline(deadline);
  if (at === null) return '';
  const day = new Date(at).toLocaleDateString('en-CA', { timeZone: VIETNAM_TIME_ZONE });
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}

export interface SuccessorFormInput {
  campaigns: { id: string; year: number; nameVi: string }[];
  /** The campaign the form starts from, with its timeline (prefilled one year later). */
  latest: { id: string; year: number; nameVi: string; timeline: Timeline | null };
  frameworks: LibraryFramework[];
}

export interface LibraryFramework {
  code: string;
  version: number;
  titleVi: string;
}

/** Each framework of the library at its latest version, by code. */
function latestVersions(frameworks: LibraryFramework[]): Map<string, LibraryFramework> {
  const latest = new Map<string, LibraryFramework>();
  for (const framework of frameworks) {
    if ((latest.get(framework.code)?.version ?? 0) < framework.version) latest.set(framework.code, framework);
  }
  return latest;
}

/** Sở Nội vụ starts next year's campaign from this year's (POST /campaigns/:id/successor). */
export function successorForm({ campaigns, latest, frameworks }: SuccessorFormInput): Html {
  const year = latest.year + 1;
  const slug = latest.id.replace(/^par-\d{4}-/, '');
  const latestVersion = latestVersions(frameworks);
  return html`<section class="card" data-testid="successor">
<h2>Tạo đợt đánh giá mới</h2>
<p class="sub">Đợt mới giữ danh sách đơn vị, cơ quan hướng dẫn và thiết lập của đợt nguồn; chọn bộ tiêu chí và lịch trình của năm mới.</p>
<form data-json data-url="/campaigns/{source}/successor" data-go="campaign" data-done="Đã tạo đợt đánh giá mới." data-testid="successor-form">
<p class="row">
<label>Đợt nguồn<select name="source" data-url-param>${campaigns.map(
    (campaign) => html`<option value="${campaign.id}" ${campaign.id === latest.id ? html`selected` : ''}>${campaign.year} · ${campaign.nameVi}</option>`,
  )}</select></label>
<label>Năm<input type="number" name="year" data-type="int" min="2000" max="2100" value="${year}" required></label>
<label>Mã (chữ thường, số, gạch nối)<input name="slug" value="${slug}" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxlength="32"></label>
<label class="grow">Tên đợt đánh giá<input name="name_vi" value="${latest.nameVi.replaceAll(String(latest.year), String(year))}" required maxlength="300"></label>
</p>
<p class="row"><label class="grow">Bộ tiêu chí<select name="framework.code" data-optional><option value="">Giữ bộ tiêu chí của đợt nguồn</option>${[...latestVersion].map(
    ([code, framework]) => html`<option value="${code}">${framework.titleVi} (${code}, phiên bản ${framework.version})</option>`,
  )}</select></label></p>
<p class="row">${TIMELINE_KEYS.map(
    (key) => html`<label>${DEADLINE_LABEL_VI[key]}<input type="date" name="timeline.${key}" value="${latest.timeline ? nextYearDay(latest.timeline[key]) : ''}" required></label>`,
  )}</p>
${formMessage}
<button class="btn" type="submit">Tạo đợt đánh giá</button>
</form>
</section>`;
}

export interface LibraryCampaignFormInput {
  frameworks: LibraryFramework[];
  /** The latest campaign, whose units, contributors and council the form starts from; absent for a first campaign. */
  latest?: { id: string; year: number; definition: Pick<CampaignDefinition, 'units' | 'contributors' | 'timeline' | 'settings'> };
}

/**
 * Sở Nội vụ starts a campaign from a framework of the library and a list of
 * units (POST /campaigns/from-library): its first campaign, or a year whose
 * units changed. The units are pasted from a spreadsheet, one per line (code,
 * name, group, by tabs or commas); the contributors one per line ("VP: 3").
 */
export function libraryCampaignForm({ frameworks, latest }: LibraryCampaignFormInput): Html {
  const choices = [...latestVersions(frameworks)];
  const year = latest ? latest.year + 1 : Number(new Date().toLocaleDateString('en-CA', { timeZone: VIETNAM_TIME_ZONE }).slice(0, 4));
  const units = latest?.definition.units.map((unit) => `${unit.code}\t${unit.name_vi}\t${unit.group}`).join('\n') ?? '';
  const contributors = latest?.definition.contributors.map((owner) => `${owner.unit}: ${owner.areas_owned.join(', ')}`).join('\n') ?? '';
  return html`<section class="card" data-testid="library-campaign">
<h2>Tạo đợt đánh giá từ thư viện bộ tiêu chí</h2>
${
  choices.length === 0
    ? html`<p class="notice">Thư viện chưa có bộ tiêu chí nào; nhập một bộ ở trang <a href="/dashboard/frameworks">Thư viện bộ tiêu chí</a> (tệp Excel theo mẫu hoặc JSON) rồi quay lại đây.</p>`
    : html`<p class="sub">Cho đợt đánh giá đầu tiên, hoặc khi danh sách đơn vị thay đổi. ${latest ? `Danh sách đơn vị, cơ quan thẩm định và lịch trình được điền sẵn từ đợt ${latest.id}.` : ''}</p>
<form data-json data-url="/campaigns/from-library" data-go="campaign" data-done="Đã tạo đợt đánh giá mới." data-testid="library-campaign-form">
<p class="row">
<label>Năm<input type="number" name="year" data-type="int" min="2000" max="2100" value="${year}" required></label>
<label>Mã (chữ thường, số, gạch nối)<input name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxlength="32"></label>
<label class="grow">Tên đợt đánh giá<input name="name_vi" required maxlength="300"></label>
</p>
<p class="row"><label class="grow">Bộ tiêu chí<select name="framework.code">${choices.map(
        ([code, framework]) => html`<option value="${code}">${framework.titleVi} (${code}, phiên bản ${framework.version})</option>`,
      )}</select></label>
<label>Số thành viên Hội đồng thẩm định<input type="number" name="settings.council_members" data-type="int" min="1" max="100" value="${latest?.definition.settings.council_members ?? 10}" required></label></p>
<p class="row"><label class="grow">Đơn vị được đánh giá (mỗi dòng một đơn vị: mã, tên, nhóm; dán thẳng từ Excel)<textarea name="units" data-type="units" data-row-label="Đơn vị" rows="8" required>${units}</textarea></label></p>
<p class="row"><label class="grow">Cơ quan thẩm định và lĩnh vực phụ trách (mỗi dòng: mã cơ quan: lĩnh vực, ví dụ "VP: 3")<textarea name="contributors" data-type="owners" data-row-label="Cơ quan thẩm định" rows="4">${contributors}</textarea></label></p>
<p class="row">${TIMELINE_KEYS.map(
        (key) => html`<label>${DEADLINE_LABEL_VI[key]}<input type="date" name="timeline.${key}" value="${latest ? nextYearDay(latest.definition.timeline[key]) : ''}" required></label>`,
      )}</p>
${formMessage}
<button class="btn" type="submit">Tạo đợt đánh giá</button>
</form>`
}
</section>`;
}

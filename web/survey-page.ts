import type { Actor } from '../domain/actors';
import { formatDateTimeVi } from '../domain/deadlines';
import { formatCentiVi } from '../domain/scoring';
import { SURVEY_STATUS_LABEL_VI } from '../domain/survey-status';
import type { SurveyPointsReport } from '../application/services/survey-answers';
import type { SurveyProgress } from '../contracts/messages';
import { formMessage } from './forms';
import { html, type Html } from './html';
import { SURVEY_UNIT_FLAG_LABEL_VI } from '../domain/survey-answers';

/**
 * The sociological survey track in the browser (Plan 245 part 2): the
 * institute submits its plan, Sở Nội vụ approves it, the institute opens and
 * closes the fieldwork, imports the answer file (CSV or XLSX; every problem
 * with its row and column) and submits the points it computes. Each form posts
 * to the API route a client would call (web/static/forms.js).
 */


const at = (iso: string | null) => (iso ? formatDateTimeVi(Date.parse(iso)) : '—');

export interface SurveyPageInput {
  actor: Actor;
  campaign: { id: string; nameVi: string };
  survey: SurveyProgress;
  points: SurveyPointsReport;
}

/** What the actor may do now, by the survey's status and the permissions of domain/permissions.ts. */
function actions({ actor, campaign, survey, points }: SurveyPageInput): Html {
  const base = `/campaigns/${campaign.id}/survey`;
  const runsSurvey = actor.role === 'institute' || actor.role === 'admin';
  const forms: Html[] = [];
  if (runsSurvey && survey.status === 'awaiting_plan') {
    forms.push(html`<h3>Nộp kế hoạch điều tra</h3>
<form class="row" data-json data-url="${base}/plan" data-done="Đã nộp kế hoạch điều tra." data-testid="survey-plan">
<label class="grow">Văn bản kế hoạch<input name="document.name" required placeholder="Kế hoạch số …/KH-VNC"></label>
<label class="grow">Liên kết hoặc số hiệu<input name="document.ref" required></label>
<label class="grow">Tóm tắt<input name="summary" data-optional placeholder="Cỡ mẫu, đối tượng, thời gian"></label>
<button class="btn" type="submit">Nộp kế hoạch</button>
${formMessage}
</form>`);
  }
  if (actor.role === 'admin' && survey.status === 'plan_submitted') {
    forms.push(html`<h3>Duyệt kế hoạch điều tra</h3>
<form class="row" data-json data-url="${base}/plan/review" data-done="Đã ghi nhận ý kiến về kế hoạch." data-testid="survey-review">
<label><span>Quyết định</span><select name="approve" data-type="bool"><option value="true">Phê duyệt</option><option value="false">Yêu cầu sửa lại</option></select></label>
<label class="grow">Ý kiến<input name="reason" data-optional></label>
<button class="btn" type="submit">Ghi nhận</button>
${formMessage}
</form>`);
  }
  if (runsSurvey && (survey.status === 'plan_approved' || survey.status === 'fieldwork_open')) {
    const opening = survey.status === 'plan_approved';
    forms.push(html`<h3>${opening ? 'Mở khảo sát' : 'Kết thúc khảo sát'}</h3>
<form class="row" data-json data-url="${base}/fieldwork/${opening ? 'open' : 'close'}" data-done="${opening ? 'Đã mở khảo sát.' : 'Đã kết thúc khảo sát.'}" data-testid="survey-fieldwork">
<button class="btn" type="submit">${opening ? 'Mở khảo sát' : 'Kết thúc khảo sát'}</button>
${formMessage}
</form>`);
  }
  if (runsSurvey && survey.status !== 'accepted') {
    forms.push(html`<h3>Nhập kết quả khảo sát</h3>
<p class="sub">Tệp CSV hoặc Excel theo mẫu (<a href="${base}/answers/template?format=xlsx">Excel, dạng dọc</a> · <a href="${base}/answers/template?format=xlsx&amp;layout=wide">Excel, dạng ngang</a> · <a href="${base}/answers/template?format=csv">CSV</a>). Tệp có lỗi thì không có gì được lưu; nhập tệp mới thay cho tệp trước.</p>
<form class="inline" data-testid="survey-import">
<label class="upload"><span>Chọn tệp kết quả</span><input type="file" accept=".csv,.xlsx" data-raw-upload-url="${base}/answers"></label>
${formMessage}
</form>`);
  }
  if (actor.role === 'institute' && survey.status === 'fieldwork_closed' && points.import) {
    forms.push(html`<h3>Nộp điểm điều tra</h3>
<form class="row" data-json data-url="${base}/points/submit" data-done="Đã nộp điểm điều tra." data-confirm="Nộp điểm điều tra đã tính cho tất cả đơn vị? Sau khi được tiếp nhận, điểm không thay đổi được." data-testid="survey-submit">
<button class="btn" type="submit">Nộp điểm điều tra</button>
${formMessage}
</form>`);
  }
  return forms.length ? html`<section class="card" data-testid="survey-actions"><h2>Việc cần làm</h2>${forms}</section>` : html``;
}

function pointsSection(points: SurveyPointsReport): Html {
  if (!points.import) return html`<section class="card" data-testid="survey-points"><h2>Điểm điều tra</h2><p class="muted">Chưa nhập kết quả khảo sát.</p></section>`;
  const summary = points.import;
  return html`<section class="card" data-testid="survey-points">
<h2>Điểm điều tra từng đơn vị</h2>
<p class="sub">Tệp nhập lúc ${at(summary.importedAt)} bởi ${summary.importedBy}: ${summary.fileRows} dòng, ${summary.respondents} người trả lời, ${summary.validAnswers}/${summary.answers} câu trả lời hợp lệ. Tối thiểu ${points.minValidAnswers} câu trả lời hợp lệ mỗi câu hỏi.</p>
<table><thead><tr><th>Đơn vị</th><th class="num">Người trả lời</th><th class="num">Câu trả lời hợp lệ</th><th class="num">Điểm</th><th class="num">Tối đa</th><th>Ghi chú</th></tr></thead><tbody>
${points.units.map(
  (unit) => html`<tr data-unit="${unit.unitCode}"><td>${unit.nameVi}</td><td class="num">${unit.respondents}</td><td class="num">${unit.validAnswers}</td>
<td class="num">${formatCentiVi(unit.pointsCenti)}</td><td class="num">${formatCentiVi(unit.maxCenti)}</td><td>${unit.flags.map((flag) => SURVEY_UNIT_FLAG_LABEL_VI[flag]).join('; ')}</td></tr>`,
)}
</tbody></table>
</section>`;
}

export function surveyBody(input: SurveyPageInput): Html {
  const { campaign, survey } = input;
  return html`<p class="muted"><a href="/dashboard/campaigns/${campaign.id}">← ${campaign.nameVi}</a></p>
<h1>Điều tra xã hội học</h1>
<section class="card" data-testid="survey-state">
<table><tbody>
<tr><th>Tình trạng</th><td data-testid="survey-status">${SURVEY_STATUS_LABEL_VI[survey.status]}</td></tr>
<tr><th>Kế hoạch</th><td>${survey.plan ? html`${survey.plan.document.name}${survey.plan.summary ? ` · ${survey.plan.summary}` : ''} <span class="muted">(nộp ${at(survey.plan.submittedAt)})</span>` : '—'}</td></tr>
<tr><th>Ý kiến của Sở Nội vụ</th><td>${
    survey.planReviews.length
      ? survey.planReviews.map((review) => html`<div>${review.approve ? 'Phê duyệt' : 'Yêu cầu sửa lại'}${review.reason ? `: ${review.reason}` : ''} <span class="muted">(${at(review.reviewedAt)})</span></div>`)
      : '—'
  }</td></tr>
<tr><th>Mở khảo sát</th><td>${at(survey.fieldworkOpenedAt)}</td></tr>
<tr><th>Kết thúc khảo sát</th><td>${at(survey.fieldworkClosedAt)}</td></tr>
<tr><th>Tiếp nhận kết quả</th><td>${survey.acceptedAt ? `${at(survey.acceptedAt)} · ${survey.unitsCovered} đơn vị` : '—'}</td></tr>
</tbody></table>
</section>
${actions(input)}
${pointsSection(input.points)}`;
}

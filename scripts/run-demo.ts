import { loadConfig, publicUrl } from '../runtime/config';
import { toVietnamIso } from '../domain/deadlines';
import type { FrameworkGroup } from '../domain/framework';
import { hanoi2019Campaign } from '../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment, subcriteriaOf } from '../seed/scores';
import { DEMO_PASSWORD } from '../seed/users';
import type { CampaignProgressWire } from '../api/wire/campaign';
import { scoresToWire, type UnitProgressWire } from '../api/wire/unit';

/**
 * `npm run demo`: drives a fresh copy of the Hanoi 2019 campaign through every
 * stage, with deadlines compressed to a few minutes, through the HTTP API of a
 * running system (`npm start` in another terminal). It shows a late unit and
 * its extension, a unit that never submits, an explanation round, the survey
 * track, a council return and re-approval, and publication. Each actor logs in
 * as its demo user (seed/users.ts; DEMO_PASSWORD overrides the shared password).
 */
const config = loadConfig();
const api = process.env.DEMO_API_URL ?? publicUrl(config);
const t0 = Date.now();
const at = (seconds: number) => toVietnamIso(t0 + seconds * 1000);
const slug = `demo${new Date(t0).toISOString().slice(5, 19).replace(/\D/g, '')}`;
const campaignId = `par-2019-${slug}`;
const definition = hanoi2019Campaign({
  slug,
  timeline: {
    guidance_due: at(30),
    self_assessment_due: at(60),
    appraisal_round_1_due: at(100),
    explanations_due: at(240),
    appraisal_round_2_due: at(260),
    survey_results_due: at(270),
    council_due: at(280),
    publication_due: at(300),
  },
});

type Headers = Record<string, string>;
const password = process.env.DEMO_PASSWORD ?? DEMO_PASSWORD;
const sessions = new Map<string, Promise<Headers>>();
/** Logs in once per demo user (POST /auth/login) and reuses the bearer token. */
function as(username: string): Promise<Headers> {
  let session = sessions.get(username);
  if (!session) {
    session = call<{ token: string }>('POST', '/auth/login', Promise.resolve({}), { username, password }).then(({ token }) => ({
      authorization: `Bearer ${token}`,
    }));
    sessions.set(username, session);
  }
  return session;
}
const admin = () => as('snv.admin');
const institute = () => as('vien.khaosat');
const council = () => as('hoidong.thanhvien');
const contributor = (code: string) => as(`${code.toLowerCase()}.thamdinh`);
const unitStaff = (code: string) => as(code.toLowerCase());
const document = { name: 'van-ban.pdf', ref: 'demo-file' };

function say(line: string) {
  const elapsed = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(`[${String(elapsed).padStart(3)} s] ${line}\n`);
}

/** A 503 is temporary: retried after its Retry-After, a step with the Idempotency-Key the API named, so it is applied once. */
const MAX_ATTEMPTS = 10;

async function call<T = unknown>(method: 'GET' | 'POST', path: string, headers: Promise<Headers>, body?: unknown): Promise<T> {
  let key: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { ...(await headers), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(key ? { 'idempotency-key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { error?: string; message_vi?: string; message_en?: string; idempotency_key?: string };
    // The campaign exists and its record follows: starting it again would only answer 409.
    if (response.status === 503 && payload.error === 'campaign_pending') return payload;
    if (response.status === 503 && attempt < MAX_ATTEMPTS) {
      key = payload.idempotency_key ?? key;
      say(`(tạm thời gián đoạn, thử lại: ${payload.message_vi ?? ''})`);
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 3) * 1000));
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${payload.message_vi ?? ''} / ${payload.message_en ?? ''}`);
    return payload;
  }
}
const campaignProgress = () => call<CampaignProgressWire>('GET', `/campaigns/${campaignId}/progress`, admin());
const unitProgress = (code: string) => call<UnitProgressWire>('GET', `${unitPath(code)}/progress`, admin());

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

const groupOf = (code: string): FrameworkGroup => definition.framework.groups[definition.units.find((unit) => unit.code === code)!.group]!;
const ownerOf = (area: string) => definition.contributors.find((c) => c.areas_owned.includes(area))!.unit;
const unitPath = (code: string) => `/campaigns/${campaignId}/units/${code}`;
const stageOf = async () => (await campaignProgress()).stage;

say(`Tạo đợt đánh giá ${campaignId} (52 đơn vị) tại ${api}`);
await call('POST', '/campaigns', admin(), definition);

say('Hướng dẫn: 8/9 đơn vị gửi hướng dẫn; Thanh tra Thành phố chưa gửi');
for (const sender of definition.contributors.filter((c) => c.unit !== 'TTTP')) {
  await call('POST', `/campaigns/${campaignId}/guidance`, contributor(sender.unit), { contributor: sender.unit, areas: sender.areas_owned, document });
}
const published = await call<CampaignProgressWire>('POST', `/campaigns/${campaignId}/guidance/publish`, admin(), { document, note: 'Hướng dẫn tổng hợp' });
say(`Sở Nội vụ công bố hướng dẫn; còn thiếu: ${(published.guidance.missing_at_publication ?? []).join(', ')}`);
await call('POST', `/campaigns/${campaignId}/kickoff`, admin(), { date: toVietnamIso(Date.now()).slice(0, 10), note: 'Hội nghị triển khai' });

say('Điều tra XHH: Viện nộp kế hoạch, Sở Nội vụ duyệt, bắt đầu khảo sát');
await call('POST', `/campaigns/${campaignId}/survey/plan`, institute(), { document, summary: 'Kế hoạch khảo sát' });
await call('POST', `/campaigns/${campaignId}/survey/plan/review`, admin(), { approve: true });
await call('POST', `/campaigns/${campaignId}/survey/fieldwork/open`, institute(), {});

const LATE = 'SDL';
const MISSING = 'BDT';
await until('unit workflows', async () => ((await campaignProgress()).units_started === 52 ? true : undefined));
const onTime = definition.units.map((unit) => unit.code).filter((code) => code !== LATE && code !== MISSING);
say(`Tự đánh giá: ${onTime.length} đơn vị nộp đúng hạn; ${LATE} nộp muộn, ${MISSING} không nộp`);
await inBatches(onTime, 6, (code) =>
  call('POST', `${unitPath(code)}/self-assessment`, unitStaff(code), { scores: scoresToWire(fullSelfAssessment(groupOf(code))), approved_by: `Thủ trưởng ${code}` }),
);

await until('the self-assessment deadline', async () => ((await unitProgress(LATE)).status === 'overdue' ? true : undefined));
say(`Hết hạn tự đánh giá: ${LATE} và ${MISSING} quá hạn; Sở Nội vụ gia hạn riêng cho ${LATE}`);
await call('POST', `/campaigns/${campaignId}/deadlines`, admin(), {
  key: 'self_assessment_due',
  deadline: toVietnamIso(Date.now() + 30_000),
  unit_code: LATE,
  reason: 'Đơn vị đề nghị gia hạn do thay đổi lãnh đạo',
});
await until('the extension', async () => ((await unitProgress(LATE)).status === 'pending' ? true : undefined));
await call('POST', `${unitPath(LATE)}/self-assessment`, unitStaff(LATE), { scores: scoresToWire(fullSelfAssessment(groupOf(LATE))), approved_by: `Thủ trưởng ${LATE}` });

say('Thẩm định vòng 1: mỗi lĩnh vực do đơn vị phụ trách thẩm định; Sở Tư pháp yêu cầu STP giải trình tiêu chí 2.1.1');
const [explained] = subcriteriaOf(groupOf('STP'), '2').map((sub) => sub.code);
const jobs = onTime.concat(LATE).flatMap((code) => groupOf(code).areas.map((area) => ({ code, area: area.code })));
await inBatches(jobs, 8, ({ code, area }) => {
  const explain = code === 'STP' && area === '2';
  return call('POST', `${unitPath(code)}/appraisals`, contributor(ownerOf(area)), {
    round: 1,
    area_code: area,
    scores: scoresToWire(areaAppraisal(groupOf(code), area, explain ? { [explained!]: 'Chưa có văn bản kiểm chứng' } : {})),
    explanation_requests: explain ? [{ code: explained, question: 'Đề nghị giải trình thời điểm ban hành văn bản' }] : [],
  });
});

const stp = await until('STP explanations', async () => {
  const progress = await unitProgress('STP');
  return progress.stage === 'explanations' ? progress : undefined;
});
say('Giải trình: STP trả lời; thẩm định vòng 2 khôi phục điểm');
await call('POST', `${unitPath('STP')}/explanations/${encodeURIComponent(stp.explanation_requests[0]!.id)}/answer`, unitStaff('STP'), {
  note: 'Văn bản ban hành ngày 20/12, kèm bản chụp',
  evidence: [{ name: 'vb.pdf', ref: 'demo-vb' }],
});
await until('STP round 2', async () => ((await unitProgress('STP')).stage === 'appraisal_round_2' ? true : undefined));
await call('POST', `${unitPath('STP')}/appraisals`, contributor('STP'), {
  round: 2,
  area_code: '2',
  scores: scoresToWire(areaAppraisal(groupOf('STP'), '2', {}, 'Giải trình hợp lý')),
});

say('Điều tra XHH: kết thúc khảo sát, Viện nộp điểm cho 52 đơn vị');
await call('POST', `/campaigns/${campaignId}/survey/fieldwork/close`, institute(), {});
await call('POST', `/campaigns/${campaignId}/survey/results`, institute(), {
  points: definition.units.map((unit, index) => ({ unit_code: unit.code, points_centi: 2000 + ((index * 37) % 900) })),
  source: 'demo',
});

say(`Chờ hạn thẩm định vòng 1 để khép ${MISSING} (không nộp → 0 điểm, gắn cờ) và tổng hợp kết quả…`);
await until('the council stage', async () => ((await stageOf()) === 'council' ? true : undefined));
say('Hội đồng thẩm định trả lại Sở Y tế, lĩnh vực 3');
await call('POST', `/campaigns/${campaignId}/council-decisions`, council(), {
  decision: 'return',
  members_present: 9,
  votes_for: 7,
  returns: [{ unit_code: 'SYT', areas: ['3'], reason: 'Điểm thủ tục hành chính chưa khớp báo cáo' }],
});
await until('SYT reopened', async () => ((await unitProgress('SYT')).stage === 'appraisal_round_2' ? true : undefined));
const [lowered] = subcriteriaOf(groupOf('SYT'), '3').map((sub) => sub.code);
await call('POST', `${unitPath('SYT')}/appraisals`, contributor('VP'), {
  round: 2,
  area_code: '3',
  scores: scoresToWire(areaAppraisal(groupOf('SYT'), '3', { [lowered!]: 'Theo kết luận của Hội đồng' })),
});
await until('the second aggregation', async () => {
  const progress = await campaignProgress();
  return progress.stage === 'council' && progress.aggregation_pass === 2 ? true : undefined;
});
say('Hội đồng thông qua; Sở Nội vụ công bố theo Quyết định 1752/QĐ-UBND');
await call('POST', `/campaigns/${campaignId}/council-decisions`, council(), { decision: 'approve', members_present: 9, votes_for: 9 });
await call('POST', `/campaigns/${campaignId}/publication`, admin(), { decision_number: '1752/QĐ-UBND', decision_date: '2020-04-29' });
await until('publication', async () => ((await stageOf()) === 'published' ? true : undefined));

const events = await call<unknown[]>('GET', `/campaigns/${campaignId}/events`, admin());
say(`Đã công bố. Nhật ký: ${events.length} sự kiện. Xem quy trình trong Temporal UI (CampaignId = "${campaignId}").`);

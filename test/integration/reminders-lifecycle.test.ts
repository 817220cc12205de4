import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors';
import { formatDateVi } from '../../domain/deadlines';
import { reminderPolicySchema } from '../../domain/reminders';
import { unitWorkflowId } from '../../domain/units';
import { createContactRepository } from '../../db/repositories/contacts';
import { createNotificationRepository } from '../../db/repositories/notifications';
import { createSmtpMailer } from '../../notifications/mailer';
import { hanoi2019Contacts } from '../../seed/contacts-hanoi-2019';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { fullSelfAssessment } from '../../seed/scores';
import { progressQuery, publishGuidanceUpdate, submitSelfAssessmentUpdate } from '../../contracts/messages';
import type { UnitWorkflowInput } from '../../workflows/unit';
import { SmtpSink } from './reminders-smtp-sink';
import { bearer, SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { bringForward, farTimeline, moveDeadline, timeToReachUnits, wholeSeconds } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { eventually, expectRejected } from './helpers/wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };
const unitStaff = (code: string): Actor => ({ id: `${code}-canbo`, role: 'unit', unitCode: code });
const PUBLIC_URL = 'https://par.example.vn';
const EXTRA_COORDINATOR = 'dieu.phoi@example.gov.vn';

let stack: TestStack;
let sink: SmtpSink;
beforeAll(async () => {
  sink = new SmtpSink();
  await sink.start();
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'Sở Nội vụ <no-reply@par.example.vn>', timeoutMs: 5_000 });
  stack = await startStack({ notifications: { mailer, publicUrl: PUBLIC_URL } });
  await createContactRepository(stack.database.db).createMany(hanoi2019Contacts());
});
afterAll(async () => {
  await stack?.stop();
  await sink?.stop();
});

describe('deadline reminders in a compressed campaign', () => {
  it(
    'remind each unit that still owes its self-assessment once per offset, stop when it submits, follow an extension and a moved deadline, and escalate an overdue unit to its head and Sở Nội vụ',
    async () => {
      // Every deadline months away: the test moves them through the campaign when it is ready for a reminder.
      const slug = uniqueSlug('rem');
      const base = hanoi2019Campaign({ slug, unitsPerGroup: 2 /* SNV, VP, QUAN_BA_DINH, QUAN_HOAN_KIEM */, timeline: farTimeline() });
      // Exact offsets (production uses days): an hour and 15 s before, escalation 5 s after. A deadline moved to an
      // hour and a lead away brings the first reminder; the second stays an hour off until the test moves it.
      const reminders = reminderPolicySchema.parse({
        before: ['PT1H', 'PT15S'],
        escalation: { after: 'PT5S' },
        coordinators: [{ name: 'Điều phối viên đợt 2019', email: EXTRA_COORDINATOR }],
      });
      const definition = { ...base, settings: { ...base.settings, reminders } };
      const campaignId = `par-2019-${slug}`;
      const created = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
      expect(created.statusCode).toBe(201);

      const campaign = stack.client.workflow.getHandle(campaignId);
      const unit = (code: string) => stack.client.workflow.getHandle(unitWorkflowId(campaignId, code));
      const groupOf = (code: string) => definition.framework.groups[definition.units.find((u) => u.code === code)!.group]!;
      const submit = (code: string) =>
        unit(code).executeUpdate(submitSelfAssessmentUpdate, {
          args: [{ actor: unitStaff(code), scores: fullSelfAssessment(groupOf(code)), approvedBy: `Giám đốc ${code}` }],
        });
      const repo = createNotificationRepository(stack.database.db);
      const dispatchesOf = async (code: string) => (await repo.listDispatches(campaignId, code)).map((row) => `${row.kind}:${row.offset}@${row.deadline.getTime()}`);

      await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
      await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === 4, 30_000, 'unit workflows started');

      // Each unit is started with the policy in force, so its first workflow task arms its timers without reading it (BENCHMARKS.md, P1).
      const firstTask = await eventually(async () => {
        const events = (await unit('QUAN_BA_DINH').fetchHistory()).events ?? [];
        const firstTimer = events.findIndex((event) => event.timerStartedEventAttributes);
        return firstTimer < 0 ? undefined : { events: events.slice(0, firstTimer + 1), input: events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! };
      }, 30_000, 'QUAN_BA_DINH’s first timer');
      expect(defaultPayloadConverter.fromPayload<UnitWorkflowInput>(firstTask.input).reminderPolicy).toEqual(reminders);
      expect(firstTask.events.filter((event) => event.markerRecordedEventAttributes)).toEqual([]);

      const HOUR = 3_600_000;
      const move = (key: 'guidance_due' | 'self_assessment_due', deadlineMs: number, unitCode?: string) => moveDeadline(campaign, key, deadlineMs, unitCode);

      // VP submits while every deadline is days away: it never gets a reminder.
      await submit('VP');

      // A unit sends no reminder whose instant passed before it learnt the deadline: each move below gives its reminder
      // a lead of twice the time a first move (a day away) takes to reach every unit here and now, at least 5 s.
      await bringForward(campaign, ['guidance_due']);
      const reach = await timeToReachUnits(stack.app, campaignId, 4, 'self_assessment_due', async () => {
        const rehearsal = wholeSeconds(Date.now() + 24 * HOUR);
        await move('self_assessment_due', rehearsal);
        return rehearsal;
      });
      const lead = Math.max(5_000, 2 * reach);

      // The deadline moves to an hour and the lead away: the hour-before reminder reaches everyone who still owes; then SNV submits.
      const deadline1 = wholeSeconds(Date.now() + HOUR + lead);
      await move('self_assessment_due', deadline1);
      await eventually(async () => (await repo.listDispatches(campaignId)).length === 3, lead + 60_000, 'the hour-before reminders');
      await submit('SNV');

      // QUAN_HOAN_KIEM gets an extension to a day later; then the campaign's deadline moves to 15 s and the lead away.
      // QUAN_BA_DINH follows the move (its 15 s reminder, then the escalation 5 s after the deadline); the extended unit keeps its own date.
      const extended = wholeSeconds(Date.now() + 24 * HOUR);
      await move('self_assessment_due', extended, 'QUAN_HOAN_KIEM');
      const deadline3 = wholeSeconds(Date.now() + 15_000 + lead);
      await move('self_assessment_due', deadline3);
      await eventually(async () => (await dispatchesOf('QUAN_BA_DINH')).length === 3, lead + 60_000, 'the escalation');

      // Nothing else fell due: each other unit's workflow has taken every event up to now (a refused update runs in
      // a workflow task of its own, after the timers that fired before it), and none dispatched a thing.
      for (const code of ['VP', 'SNV', 'QUAN_HOAN_KIEM']) {
        await expectRejected(
          unit(code).executeUpdate(submitSelfAssessmentUpdate, { args: [{ actor: unitStaff('SNV' === code ? 'VP' : 'SNV'), scores: fullSelfAssessment(groupOf(code)), approvedBy: 'x' }] }),
          'forbidden',
        );
      }
      expect(await dispatchesOf('VP')).toEqual([]);
      expect(await dispatchesOf('SNV')).toEqual([`reminder:PT1H@${deadline1}`]);
      expect(await dispatchesOf('QUAN_HOAN_KIEM')).toEqual([`reminder:PT1H@${deadline1}`]);
      expect(await dispatchesOf('QUAN_BA_DINH')).toEqual([`reminder:PT1H@${deadline1}`, `reminder:PT15S@${deadline3}`, `escalation:PT5S@${deadline3}`]);

      // The extension is brought in to an hour and the lead away: the extended unit's own reminder for its new date, then it submits.
      const deadline2 = wholeSeconds(Date.now() + HOUR + lead);
      await move('self_assessment_due', deadline2, 'QUAN_HOAN_KIEM');
      await eventually(async () => (await dispatchesOf('QUAN_HOAN_KIEM')).includes(`reminder:PT1H@${deadline2}`), lead + 60_000, 'the extended unit’s reminder');
      await submit('QUAN_HOAN_KIEM');
      expect(await dispatchesOf('QUAN_HOAN_KIEM')).toEqual([`reminder:PT1H@${deadline1}`, `reminder:PT1H@${deadline2}`]);

      // E-mail: every delivery settled once; reminders to head and staff, the escalation to the head and every coordinator.
      // A reminder e-mail checks when it is sent that the unit still owes: one whose unit submitted in between is
      // cancelled by design (on a loaded machine SNV and QUAN_HOAN_KIEM may submit before theirs go out). QUAN_BA_DINH
      // never submits, so all of its e-mail is sent. A failed send is retried with backoff (2, 4, 8, 16 s…).
      const submittedMeanwhile = ['SNV', 'QUAN_HOAN_KIEM'];
      const settled = (row: { status: string; unitCode: string }) => row.status === 'sent' || (row.status === 'cancelled' && submittedMeanwhile.includes(row.unitCode));
      const deliveries = await eventually(async () => {
        const rows = await repo.listDeliveries({ campaignId, limit: 1000 });
        if (rows.every(settled)) return rows;
        throw new Error(rows.filter((row) => !settled(row)).map((row) => `${row.recipientEmail}: ${row.status} after ${row.attempts} attempts ${row.lastError ?? ''}`).join('; '));
      }, 150_000, 'every e-mail sent or, for a unit that submitted meanwhile, cancelled');
      expect(deliveries).toHaveLength(2 * 5 + 4); // five reminders × (head, staff) + escalation × (head, 2 SNV coordinators, 1 campaign coordinator)
      expect(deliveries.filter((row) => row.unitCode === 'QUAN_BA_DINH').every((row) => row.status === 'sent')).toBe(true);
      const sent = deliveries.filter((row) => row.status === 'sent');
      const campaignMail = sink.received.filter((mail) => deliveries.some((row) => row.messageId === mail.messageId));
      expect(campaignMail).toHaveLength(sent.length);
      expect(new Set(campaignMail.map((mail) => mail.messageId)).size).toBe(sent.length);
      const escalationRecipients = deliveries.filter((row) => row.dispatchKey.includes('/after-')).map((row) => row.recipientEmail).sort();
      expect(escalationRecipients).toEqual(
        [EXTRA_COORDINATOR, 'chiso.cchc.snv@example.gov.vn', 'phong.cchc.snv@example.gov.vn', 'thutruong.quan-ba-dinh@example.gov.vn'].sort(),
      );
      expect(sink.to('cchc.vp@example.gov.vn')).toHaveLength(0);

      const reminder = deliveries.find((row) => row.unitCode === 'QUAN_BA_DINH' && row.recipientRole === 'staff' && row.dispatchKey.includes(String(deadline3)))!;
      expect(reminder.subject).toContain('Nhắc hạn Tự đánh giá, chấm điểm');
      expect(reminder.text).toContain(formatDateVi(deadline3));
      expect(reminder.text).toContain(`${PUBLIC_URL}/dashboard/campaigns/${campaignId}/units/QUAN_BA_DINH`);
      expect(reminder.html).toContain(`href="${PUBLIC_URL}/dashboard/campaigns/${campaignId}/units/QUAN_BA_DINH"`);

      // The in-app inbox: a unit reads its own, Sở Nội vụ gets the escalation, mark read lowers the unread count.
      const asUnit = await bearer(unitStaff('QUAN_BA_DINH'));
      const inbox = await stack.app.inject({ method: 'GET', url: `/inbox?campaign_id=${campaignId}`, headers: asUnit });
      expect(inbox.statusCode).toBe(200);
      const body = inbox.json() as { recipient: string; unread: number; items: { id: number; kind: string; title: string; link: string; read_at: string | null }[] };
      expect(body.recipient).toBe('QUAN_BA_DINH');
      expect(body.unread).toBe(3);
      expect(body.items.map((item) => item.kind)).toEqual(['escalation', 'reminder', 'reminder']);
      expect(body.items[0]!.title).toContain('Quá hạn');
      const read = await stack.app.inject({ method: 'POST', url: `/inbox/${body.items[0]!.id}/read`, headers: asUnit });
      expect(read.statusCode).toBe(200);
      expect(read.json().read_at).not.toBeNull();
      const count = await stack.app.inject({ method: 'GET', url: `/inbox/unread-count?campaign_id=${campaignId}`, headers: asUnit });
      expect(count.json()).toEqual({ recipient: 'QUAN_BA_DINH', unread: 2 });
      const other = await stack.app.inject({ method: 'GET', url: '/inbox?recipient=VP', headers: asUnit });
      expect(other.statusCode).toBe(403);
      const notMine = await stack.app.inject({ method: 'POST', url: `/inbox/${body.items[0]!.id}/read`, headers: await bearer(unitStaff('VP')) });
      expect(notMine.statusCode).toBe(404);
      const snv = await stack.app.inject({ method: 'GET', url: `/inbox?recipient=SNV&campaign_id=${campaignId}`, headers: SNV_ADMIN });
      const snvItems = (snv.json() as { items: { kind: string; unit_code: string }[] }).items;
      expect(snvItems.filter((item) => item.kind === 'escalation').map((item) => item.unit_code)).toEqual(['QUAN_BA_DINH']);

      // The logs, for Sở Nội vụ only.
      const log = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/deliveries?unit=QUAN_BA_DINH`, headers: SNV_ADMIN });
      expect(log.statusCode).toBe(200);
      // Every delivery sent; a retry after a failed attempt is allowed (each message arrived once, checked by Message-ID above).
      expect((log.json() as { status: string; attempts: number }[]).every((row) => row.status === 'sent' && row.attempts >= 1)).toBe(true);
      expect((await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/deliveries`, headers: asUnit })).statusCode).toBe(403);
      // The same logs on the dashboard, in Vietnamese: one unit's part (its code typed in lower case), then a status.
      const logPage = (search: string, headers = SNV_ADMIN) => stack.app.inject({ method: 'GET', url: `/dashboard/campaigns/${campaignId}/reminders${search}`, headers });
      const unitLog = await logPage('?unit=quan_ba_dinh');
      expect(unitLog.statusCode).toBe(200);
      expect(unitLog.body).toContain('đơn vị <strong>Quận Ba Đình</strong>');
      expect(unitLog.body.match(/data-delivery="/g)).toHaveLength(2 * 2 + 4);
      expect(unitLog.body.match(/<span class="badge s-done">Đã gửi<\/span>/g)).toHaveLength(2 * 2 + 4);
      const dispatchRows = [...unitLog.body.matchAll(/<tr data-dispatch="[^"]*">([\s\S]*?)<\/tr>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, '|'));
      expect(dispatchRows).toHaveLength(3);
      expect(dispatchRows[0]).toContain('|Báo cáo quá hạn|');
      expect(dispatchRows[0]).toContain('|PT5S sau hạn|');
      expect(dispatchRows.slice(1).every((row) => row.includes('|Nhắc hạn|') && row.includes('|Tự đánh giá, chấm điểm|'))).toBe(true);
      const countOf = (body: string, status: string) => Number(new RegExp(`data-status="${status}">(?:<a [^>]*>)?(\\d+)`).exec(body)?.[1]);
      const allLog = await logPage('', await bearer({ id: 'snv-dieuphoi', role: 'coordinator', unitCode: 'SNV' }));
      expect(allLog.statusCode).toBe(200);
      expect(countOf(allLog.body, 'sent')).toBe(sent.length);
      expect(countOf(allLog.body, 'cancelled')).toBe(deliveries.length - sent.length);
      const cancelledLog = await logPage('?status=cancelled');
      expect(cancelledLog.body.match(/data-delivery="/g)?.length ?? 0).toBe(deliveries.length - sent.length);
      const refused = await logPage('', asUnit);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('Chỉ Sở Nội vụ và điều phối viên xem nhắc hạn và chính sách nhắc hạn');
      // The policy names the coordinators: Sở Nội vụ reads it, a unit does not.
      const policyAsUnit = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/reminder-policy`, headers: asUnit });
      expect(policyAsUnit.statusCode).toBe(403);
      const policy = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/reminder-policy`, headers: SNV_ADMIN });
      expect(policy.json()).toMatchObject({ before: ['PT1H', 'PT15S'], escalation: { after: 'PT5S' } });

      // Histories with reminders delivered, an extension re-planned and an escalation, for the replay test.
      await recordHistories({ 'unit-reminded-extended': unit('QUAN_HOAN_KIEM'), 'unit-reminded-overdue': unit('QUAN_BA_DINH') });
    },
    600_000,
  );

  it('manages unit contacts through the API: admin only to change, validated with messages in Vietnamese and English', async () => {
    const url = '/units/STP/contacts';
    const asUnit = await bearer(unitStaff('STP'));
    const bad = await stack.app.inject({ method: 'POST', url, headers: SNV_ADMIN, payload: { name: '', role: 'boss', email: 'not-mail' } });
    expect(bad.statusCode).toBe(400);
    const issues = (bad.json() as { issues: { path: (string | number)[]; message_vi: string; message_en: string }[] }).issues;
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['body.email', 'body.name', 'body.role']);
    expect(issues.every((issue) => issue.message_vi && issue.message_en)).toBe(true);

    const forbidden = await stack.app.inject({ method: 'POST', url, headers: asUnit, payload: { name: 'A', role: 'staff', email: 'a@example.gov.vn' } });
    expect(forbidden.statusCode).toBe(403);
    const created = await stack.app.inject({ method: 'POST', url, headers: SNV_ADMIN, payload: { name: 'Trần Thị B', role: 'staff', email: 'B@Example.gov.vn' } });
    expect(created.statusCode).toBe(201);
    const contact = created.json() as { id: number; email: string };
    expect(contact.email).toBe('b@example.gov.vn');
    const duplicate = await stack.app.inject({ method: 'POST', url, headers: SNV_ADMIN, payload: { name: 'X', role: 'head', email: 'b@example.gov.vn' } });
    expect(duplicate.statusCode).toBe(409);

    const updated = await stack.app.inject({ method: 'PUT', url: `/contacts/${contact.id}`, headers: SNV_ADMIN, payload: { name: 'Trần Thị B', role: 'head', email: 'b@example.gov.vn' } });
    expect(updated.json()).toMatchObject({ role: 'head' });
    const listed = await stack.app.inject({ method: 'GET', url, headers: asUnit });
    expect((listed.json() as { email: string }[]).map((c) => c.email)).toContain('b@example.gov.vn');
    expect((await stack.app.inject({ method: 'GET', url, headers: await bearer(unitStaff('VP')) })).statusCode).toBe(403);
    expect((await stack.app.inject({ method: 'DELETE', url: `/contacts/${contact.id}`, headers: SNV_ADMIN })).statusCode).toBe(204);
    expect((await stack.app.inject({ method: 'DELETE', url: `/contacts/${contact.id}`, headers: SNV_ADMIN })).statusCode).toBe(404);
  });
});

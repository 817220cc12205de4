import { describe, expect, it } from 'vitest';
import { campaignSettingsSchema } from '../../domain/campaign';
import { formatDateTimeVi, parseDeadline } from '../../domain/deadlines';
import { parseOffset, planReminders, reminderKey, reminderPolicySchema, resolveReminderPolicy } from '../../domain/reminders';
import { renderMessage, unitLink } from '../../notifications/templates';

const when = (plan: { at: number }[]) => plan.map((item) => formatDateTimeVi(item.at));

describe('reminder policy', () => {
  it('defaults to 7, 3 and 1 days before and on the day at 08:00, escalating the next working day', () => {
    const policy = resolveReminderPolicy(undefined);
    expect(policy.before).toEqual(['P7D', 'P3D', 'P1D', 'P0D']);
    expect(policy.time_of_day).toBe('08:00');
    expect(policy.escalation).toEqual({ enabled: true, after: 'P1D' });
    // Friday 10/01/2020 end of day: Fri 03, Tue 07, Thu 09, Fri 10 at 08:00; escalation Monday 13/01.
    const plan = planReminders(policy, parseDeadline('2020-01-10')!);
    expect(when(plan)).toEqual(['08:00 03/01/2020', '08:00 07/01/2020', '08:00 09/01/2020', '08:00 10/01/2020', '08:00 13/01/2020']);
    expect(plan.map((item) => `${item.kind}:${item.offset}`)).toEqual(['reminder:P7D', 'reminder:P3D', 'reminder:P1D', 'reminder:P0D', 'escalation:P1D']);
  });

  it('moves a reminder that falls on a weekend to the working day before and sends two that coincide once', () => {
    // Monday 13/01/2020: 1 day before is Sunday → Friday 10; 3 days before is Friday 10 too.
    const plan = planReminders(resolveReminderPolicy({}), parseDeadline('2020-01-13')!);
    expect(when(plan)).toEqual(['08:00 06/01/2020', '08:00 10/01/2020', '08:00 13/01/2020', '08:00 14/01/2020']);
    expect(plan.filter((item) => item.kind === 'reminder').map((item) => item.offset)).toEqual(['P7D', 'P3D', 'P0D']);
  });

  it('skips weekends and listed holidays for the escalation', () => {
    const policy = resolveReminderPolicy({ holidays: ['2020-01-13', '2020-01-14'] });
    const plan = planReminders(policy, parseDeadline('2020-01-10')!);
    expect(formatDateTimeVi(plan.at(-1)!.at)).toBe('08:00 15/01/2020');
  });

  it('drops an on-the-day reminder that would come after a deadline earlier than 08:00', () => {
    const plan = planReminders(resolveReminderPolicy({ escalation: { enabled: false } }), parseDeadline('2020-01-10T07:00:00+07:00')!);
    expect(plan.map((item) => item.offset)).toEqual(['P7D', 'P3D', 'P1D']);
  });

  it('takes exact offsets in seconds for compressed test campaigns', () => {
    const deadline = parseDeadline('2020-01-10T10:00:00+07:00')!;
    const plan = planReminders(resolveReminderPolicy({ before: ['PT30S', 'PT10S'], escalation: { after: 'PT5S' } }), deadline);
    expect(plan.map((item) => item.at - deadline)).toEqual([-30_000, -10_000, 5_000]);
  });

  it('plans nothing when disabled', () => {
    expect(planReminders(resolveReminderPolicy({ enabled: false }), Date.UTC(2020, 0, 10))).toEqual([]);
  });

  it('parses ISO-8601 durations and refuses anything else with a Vietnamese message', () => {
    expect(parseOffset('P7D')).toEqual({ calendar: true, days: 7, ms: 7 * 86_400_000 });
    expect(parseOffset('PT1H30M')).toMatchObject({ calendar: false, ms: 5_400_000 });
    for (const bad of ['7d', 'P', 'PT', 'P1W', '-P1D']) expect(parseOffset(bad)).toBeNull();
    const result = reminderPolicySchema.safeParse({ before: ['7 days'] });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('khoảng thời gian');
  });

  it('is an optional campaign setting', () => {
    expect(campaignSettingsSchema.parse({}).reminders).toBeUndefined();
    expect(campaignSettingsSchema.parse({ reminders: { before: ['P2D'] } }).reminders?.before).toEqual(['P2D']);
  });

  it('keys a reminder by unit, stage, deadline and offset', () => {
    const base = { campaignId: 'par-2019-hn', unitCode: 'STP', stage: 'self_assessment' as const, deadlineMs: 1, kind: 'reminder' as const, offset: 'P3D' };
    expect(reminderKey(base)).toBe('par-2019-hn/STP/self_assessment/1/before-P3D');
    expect(reminderKey({ ...base, deadlineMs: 2 })).not.toBe(reminderKey(base));
    expect(reminderKey({ ...base, kind: 'escalation' })).not.toBe(reminderKey(base));
  });
});

describe('reminder message', () => {
  it('says in Vietnamese which unit, which stage, what is missing, the deadline as dd/mm/yyyy and where to act', () => {
    const link = unitLink('https://par.example.vn/', 'par-2019-hn', 'STP');
    expect(link).toBe('https://par.example.vn/dashboard/campaigns/par-2019-hn/units/STP');
    const message = renderMessage({
      kind: 'reminder',
      audience: 'unit',
      campaignName: 'Chỉ số CCHC 2019',
      unitCode: 'STP',
      unitName: 'Sở Tư pháp <HN>',
      stage: 'self_assessment',
      deadlineMs: parseDeadline('2020-01-10')!,
      missing: ['Bản tự đánh giá'],
      link,
      recipientName: 'Nguyễn Văn A',
    });
    expect(message.subject).toContain('Nhắc hạn Tự đánh giá, chấm điểm');
    expect(message.subject).toContain('10/01/2020');
    expect(message.text).toContain('Kính gửi Nguyễn Văn A,');
    expect(message.text).toContain('- Bản tự đánh giá');
    expect(message.text).toContain(link);
    expect(message.html).toContain('Sở Tư pháp &lt;HN&gt;');
    expect(message.html).toContain(`<a href="${link}">`);
  });
});

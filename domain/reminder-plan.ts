import type { ReminderPolicy } from './reminders';
import { VIETNAM_OFFSET_MS } from './deadlines';

/**
 * Deadline reminders and overdue escalation, as pure data and
 * arithmetic: no clock, no IO, so the unit workflow computes the same instants
 * on every replay.
 *
 * Offsets are ISO-8601 durations. A whole-day offset ('P7D', 'P0D') is a
 * calendar rule: at `time_of_day` in Asia/Ho_Chi_Minh on that day (moved to a
 * working day). An offset with a time part ('PT30S', 'PT2H') is exact: that long
 * before (or after) the deadline instant — which is what compressed test
 * campaigns use.
 */

const DURATION = /^P(?:(\d{1,4})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ParsedOffset {
  /** True for whole days (no time part): the instant is aligned to time_of_day on a calendar day. */
  calendar: boolean;
  days: number;
  /** Exact milliseconds, for offsets with a time part. */
  ms: number;
}

export function parseOffset(text: string): ParsedOffset | null {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, d, h, m, s] = match;
  const days = Number(d ?? 0);
  if (!text.includes('T')) return { calendar: true, days, ms: days * DAY_MS };
  return { calendar: false, days, ms: days * DAY_MS + (Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000 };
}

/** What a unit can owe: the self-assessment (until submitted) or explanation answers (until answered). */
export const REMINDER_STAGES = ['self_assessment', 'explanations'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

export const REMINDER_STAGE_LABEL_VI: Record<ReminderStage, string> = {
  self_assessment: 'Tự đánh giá, chấm điểm',
  explanations: 'Giải trình',
};

export type ReminderKind = 'reminder' | 'escalation';
export const REMINDER_KIND_LABEL_VI: Record<ReminderKind, string> = { reminder: 'Nhắc hạn', escalation: 'Báo cáo quá hạn' };

export interface PlannedReminder {
  kind: ReminderKind;
  /** The policy offset it comes from, e.g. 'P3D' or 'PT10S'. */
  offset: string;
  /** Epoch ms when it is due. */
  at: number;
}

/** Days since 1970-01-01 of the Vietnam calendar day that holds `epochMs`. */
function vietnamDay(epochMs: number): number {
  return Math.floor((epochMs + VIETNAM_OFFSET_MS) / DAY_MS);
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(day: number, holidays: readonly string[]): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.includes(isoOfDay(day));
}

function atTimeOfDay(day: number, timeOfDay: string): number {
  const [hours, minutes] = timeOfDay.split(':').map(Number) as [number, number];
  return day * DAY_MS + (hours * 60 + minutes) * 60_000 - VIETNAM_OFFSET_MS;
}

/** The n-th working day after `day` (n ≥ 1). */
export function nthWorkingDayAfter(day: number, n: number, holidays: readonly string[]): number {
  let current = day;
  let found = 0;
  // A year of holidays cannot hold more than ~120 non-working days in a row; the bound keeps a bad list from looping.
  for (let guard = 0; guard < 400 && found < Math.max(1, n); guard++) {
    current += 1;
    if (isWorkingDay(current, holidays)) found += 1;
  }
  return current;
}

function previousWorkingDayOrSame(day: number, holidays: readonly string[]): number {
  let current = day;
  for (let guard = 0; guard < 400 && !isWorkingDay(current, holidays); guard++) current -= 1;
  return current;
}

/**
 * Every reminder and the escalation for one deadline, earliest first.
 * Whole-day reminders land at time_of_day on that calendar day, moved back to
 * the previous working day when it is a weekend or holiday (the unit still gets
 * at least the promised notice); two that land on the same instant are sent
 * once. A reminder at or after the deadline is dropped. The escalation 'P<n>D'
 * is the n-th working day after the deadline's day at time_of_day.
 */
export function planReminders(policy: ReminderPolicy, deadlineMs: number): PlannedReminder[] {
  if (!policy.enabled) return [];
  const planned: PlannedReminder[] = [];
  const deadlineDay = vietnamDay(deadlineMs);
  for (const offset of policy.before) {
    const parsed = parseOffset(offset);
    if (!parsed) continue;
    const at = parsed.calendar
      ? atTimeOfDay(previousWorkingDayOrSame(deadlineDay - parsed.days, policy.holidays), policy.time_of_day)
      : deadlineMs - parsed.ms;
    if (at >= deadlineMs) continue;
    if (planned.some((other) => other.at === at)) continue;
    planned.push({ kind: 'reminder', offset, at });
  }
  if (policy.escalation.enabled) {
    const parsed = parseOffset(policy.escalation.after);
    if (parsed) {
      const at = parsed.calendar
        ? atTimeOfDay(nthWorkingDayAfter(deadlineDay, parsed.days, policy.holidays), policy.time_of_day)
        : deadlineMs + Math.max(parsed.ms, 1);
      planned.push({ kind: 'escalation', offset: policy.escalation.after, at: Math.max(at, deadlineMs + 1) });
    }
  }
  return planned.sort((a, b) => a.at - b.at);
}

/**
 * The idempotency key of one reminder: never twice for the same (unit, stage,
 * deadline, offset). A moved deadline is a new key, so its reminders are sent
 * again for the new date — which is the point of moving it.
 */
export function reminderKey(input: { campaignId: string; unitCode: string; stage: ReminderStage; deadlineMs: number; kind: ReminderKind; offset: string }): string {
  const side = input.kind === 'escalation' ? 'after' : 'before';
  return `${input.campaignId}/${input.unitCode}/${input.stage}/${input.deadlineMs}/${side}-${input.offset}`;
}

/** What one reminder asks the delivery side to send; the reminder workflow's input. */
export interface ReminderDispatch {
  key: string;
  campaignId: string;
  unitCode: string;
  stage: ReminderStage;
  kind: ReminderKind;
  offset: string;
  deadlineMs: number;
  dueAtMs: number;
  /** What the unit still owes, one line each (Vietnamese). */
  missing: string[];
  coordinatorUnit: string;
  coordinators: { name: string; email: string }[];
}

/** The failure type of a reminder whose recipient the mail server refused for good: no retry delivers it. */
export const PERMANENT_SMTP_ERROR = 'PermanentSmtpError';

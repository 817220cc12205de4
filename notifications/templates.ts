import { formatDateTimeVi, formatDateVi } from '../domain/deadlines';
import { REMINDER_STAGE_LABEL_VI, type ReminderKind, type ReminderStage } from '../domain/reminders';

/**
 * Vietnamese reminder and escalation messages, as plain text and HTML. Pure
 * functions of their input (no clock): the same reminder renders the same
 * message on every retry.
 */

export interface MessageInput {
  kind: ReminderKind;
  /** Who reads it: the unit itself, or Sở Nội vụ about the unit. */
  audience: 'unit' | 'coordinator';
  campaignName: string;
  unitCode: string;
  unitName: string;
  stage: ReminderStage;
  deadlineMs: number;
  /** What is still missing, one line each. */
  missing: string[];
  /** Where the unit acts: its page in the dashboard, PUBLIC_URL + /dashboard/campaigns/:id/units/:code. */
  link: string;
  recipientName?: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** The unit's page in the dashboard, where it submits and answers (a login page first if the reader is signed out). */
export function unitLink(publicUrl: string, campaignId: string, unitCode: string): string {
  return `${publicUrl.replace(/\/$/, '')}/dashboard/campaigns/${encodeURIComponent(campaignId)}/units/${encodeURIComponent(unitCode)}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

function lead(input: MessageInput): string {
  const stage = REMINDER_STAGE_LABEL_VI[input.stage];
  const date = formatDateVi(input.deadlineMs);
  if (input.kind === 'reminder') {
    return `${input.unitName} còn nội dung chưa hoàn thành ở bước "${stage}" của ${input.campaignName}. Hạn chót: ${date} (${formatDateTimeVi(input.deadlineMs)}).`;
  }
  if (input.audience === 'coordinator') {
    return `${input.unitName} (${input.unitCode}) đã quá hạn bước "${stage}" của ${input.campaignName} (hạn ${date}) mà chưa hoàn thành.`;
  }
  return `${input.unitName} đã quá hạn bước "${stage}" của ${input.campaignName} (hạn ${date}) mà chưa hoàn thành. Đề nghị đồng chí chỉ đạo hoàn thành và liên hệ Sở Nội vụ nếu cần gia hạn.`;
}

export function renderMessage(input: MessageInput): RenderedMessage {
  const stage = REMINDER_STAGE_LABEL_VI[input.stage];
  const date = formatDateVi(input.deadlineMs);
  const subject =
    input.kind === 'reminder'
      ? `[Chỉ số CCHC] Nhắc hạn ${stage}: ${input.unitName} — hạn ${date}`
      : `[Chỉ số CCHC] Quá hạn ${stage}: ${input.unitName} — hạn ${date}`;
  const greeting = input.recipientName ? `Kính gửi ${input.recipientName},` : 'Kính gửi Quý đơn vị,';
  const missingTitle = 'Nội dung còn thiếu:';
  const action = input.audience === 'unit' ? 'Thực hiện tại:' : 'Xem tình hình của đơn vị tại:';
  const text = [
    greeting,
    '',
    lead(input),
    '',
    missingTitle,
    ...input.missing.map((line) => `- ${line}`),
    '',
    `${action} ${input.link}`,
    '',
    'Thư này được gửi tự động từ hệ thống Chỉ số cải cách hành chính; vui lòng không trả lời thư này.',
    'Sở Nội vụ',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif;line-height:1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(lead(input))}</p>`,
    `<p><strong>${escapeHtml(missingTitle)}</strong></p>`,
    `<ul>${input.missing.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(action)} <a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`,
    '<p style="color:#666;font-size:12px">Thư này được gửi tự động từ hệ thống Chỉ số cải cách hành chính; vui lòng không trả lời thư này.<br>Sở Nội vụ</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** The short form for the in-app inbox. */
export function renderInboxMessage(input: MessageInput): { title: string; body: string } {
  const rendered = renderMessage({ ...input, recipientName: undefined });
  return {
    title: rendered.subject.replace(/^\[Chỉ số CCHC\] /, ''),
    body: [lead(input), '', 'Nội dung còn thiếu:', ...input.missing.map((line) => `- ${line}`)].join('\n'),
  };
}

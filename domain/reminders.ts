import { z } from 'zod';
import { parseOffset } from './reminder-plan';
import { nameText, plainText, unitCodeText } from './text';

/**
 * The reminder policy of a campaign and the contacts reminders go to,
 * as zod schemas. The planning itself (when each reminder falls due) is in
 * reminder-plan.ts, which imports no zod: the unit workflow uses it, and every
 * workflow evaluates the modules it imports once more (BENCHMARKS.md, what a
 * cached unit workflow costs).
 */
export * from './reminder-plan';
const offsetText = z.string().refine((text) => parseOffset(text) !== null, {
  message: "must be an ISO-8601 duration such as 'P7D' (days, at time_of_day) or 'PT30S' (exact)",
  params: {
    message_vi: "phải là khoảng thời gian ISO-8601, ví dụ 'P7D' (số ngày, gửi lúc time_of_day) hoặc 'PT30S' (chính xác)",
    message_en: "must be an ISO-8601 duration such as 'P7D' (days, at time_of_day) or 'PT30S' (exact)",
  },
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const email = plainText({ min: 1, max: 254 }).toLowerCase().pipe(z.email());

export const reminderPolicySchema = z.object({
  enabled: z.boolean().default(true),
  /** Before each deadline the unit still owes something for. */
  before: z.array(offsetText).max(10).default(['P7D', 'P3D', 'P1D', 'P0D']),
  /** Local time (Asia/Ho_Chi_Minh) of whole-day reminders and escalations. */
  time_of_day: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm')
    .default('08:00'),
  escalation: z
    .object({
      enabled: z.boolean().default(true),
      /** 'P1D': the next working day after the deadline at time_of_day; 'PT10S': exactly that long after. */
      after: offsetText.default('P1D'),
    })
    .prefault({}),
  /** Public holidays (YYYY-MM-DD), not working days; Saturdays and Sundays never are. */
  holidays: z.array(isoDate).max(100).default([]),
  /** The unit whose 'coordinator' contacts receive escalations (Sở Nội vụ). */
  coordinator_unit: unitCodeText().default('SNV'),
  /** Further coordinators for this campaign, by e-mail. */
  coordinators: z.array(z.object({ name: nameText({ max: 200 }), email })).max(50).default([]),
});

export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;
export type ReminderPolicyInput = z.input<typeof reminderPolicySchema>;

/** The policy in force: the campaign's own, with defaults for what it leaves out. */
export function resolveReminderPolicy(input: unknown): ReminderPolicy {
  const parsed = reminderPolicySchema.safeParse(input ?? {});
  return parsed.success ? parsed.data : reminderPolicySchema.parse({});
}

/** Who a unit contact is: the unit's head (escalations), its staff (reminders) or a Sở Nội vụ coordinator. */
export const CONTACT_ROLES = ['head', 'staff', 'coordinator'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
/** A contact's role in a line of the reminder log. */
export const RECIPIENT_ROLE_LABEL_VI: Record<ContactRole, string> = { head: 'Thủ trưởng', staff: 'Cán bộ đầu mối', coordinator: 'Điều phối viên' };

export const contactInputSchema = z.object({
  name: nameText({ max: 200 }),
  role: z.enum(CONTACT_ROLES),
  email,
});
export type ContactInput = z.infer<typeof contactInputSchema>;

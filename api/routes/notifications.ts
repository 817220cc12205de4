import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { DELIVERY_STATUSES } from '../../domain/deliveries';
import { reminderPolicySchema } from '../../domain/reminders';
import type { DeliveryRow, NotificationRow } from '../../application/views';
import { resolveActor } from '../actor';
import { campaignIdSchema, errorResponseSchema, positiveIntParam, unitCodeSchema } from '../schemas';
import type { NotificationService } from '../../application/services/notifications';

const iso = (date: Date | null) => (date ? toVietnamIso(date.getTime()) : null);

const notificationResponse = z.object({
  id: z.number(),
  recipient: z.string(),
  campaign_id: z.string(),
  unit_code: z.string(),
  stage: z.string(),
  kind: z.enum(['reminder', 'escalation']),
  title: z.string(),
  body: z.string(),
  link: z.string(),
  deadline: z.string(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});

const toNotification = (row: NotificationRow) => ({
  id: row.id,
  recipient: row.recipient,
  campaign_id: row.campaignId,
  unit_code: row.unitCode,
  stage: row.stage,
  kind: row.kind as 'reminder' | 'escalation',
  title: row.title,
  body: row.body,
  link: row.link,
  deadline: iso(row.deadline)!,
  created_at: iso(row.createdAt)!,
  read_at: iso(row.readAt),
});

/** The delivery log shows how each e-mail went, not its body. */
const deliveryResponse = z.object({
  id: z.number(),
  reminder_key: z.string(),
  unit_code: z.string(),
  stage: z.string(),
  recipient_email: z.string(),
  recipient_role: z.string(),
  subject: z.string(),
  message_id: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  last_error: z.string().nullable(),
  queued_at: z.string(),
  sent_at: z.string().nullable(),
});

const toDelivery = (row: DeliveryRow) => ({
  id: row.id,
  reminder_key: row.dispatchKey,
  unit_code: row.unitCode,
  stage: row.stage,
  recipient_email: row.recipientEmail,
  recipient_role: row.recipientRole,
  subject: row.subject,
  message_id: row.messageId,
  status: row.status,
  attempts: row.attempts,
  last_error: row.lastError,
  queued_at: iso(row.queuedAt)!,
  sent_at: iso(row.sentAt),
});

const dispatchResponse = z.object({
  key: z.string(),
  unit_code: z.string(),
  stage: z.string(),
  kind: z.enum(['reminder', 'escalation']),
  offset: z.string(),
  deadline: z.string(),
  due_at: z.string(),
  created_at: z.string(),
});

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');
const inboxQuery = z.object({
  recipient: unitCodeSchema.optional(),
  campaign_id: campaignIdSchema.optional(),
  unread: booleanText.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before_id: positiveIntParam().optional(),
});
const campaignParams = z.object({ campaignId: campaignIdSchema });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

/** The in-app inbox, the reminder and delivery logs, and the reminder policy. */
export function notificationRoutes(service: NotificationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/inbox',
      {
        config: { access: 'inbox.read' },
        schema: {
          summary: 'Hộp thư thông báo (nhắc hạn, quá hạn) của đơn vị / A unit’s inbox of reminders and escalations',
          tags: ['notifications'],
          querystring: inboxQuery,
          response: { 200: z.object({ recipient: z.string(), unread: z.number(), items: z.array(notificationResponse) }), ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        const inbox = await service.inbox(resolveActor(request), {
          recipient: q.recipient,
          campaignId: q.campaign_id,
          unreadOnly: q.unread,
          limit: q.limit,
          beforeId: q.before_id,
        });
        return { recipient: inbox.recipient, unread: inbox.unread, items: inbox.items.map(toNotification) };
      },
    );

    app.get(
      '/inbox/unread-count',
      {
        config: { access: 'inbox.read' },
        schema: {
          summary: 'Số thông báo chưa đọc / Unread count',
          tags: ['notifications'],
          querystring: inboxQuery.pick({ recipient: true, campaign_id: true }),
          response: { 200: z.object({ recipient: z.string(), unread: z.number() }), ...errors },
        },
      },
      async (request) => service.unreadCount(resolveActor(request), { recipient: request.query.recipient, campaignId: request.query.campaign_id }),
    );

    app.post(
      '/inbox/:notificationId/read',
      {
        config: { access: 'inbox.read' },
        schema: {
          summary: 'Đánh dấu đã đọc / Mark read',
          tags: ['notifications'],
          params: z.object({ notificationId: positiveIntParam() }),
          response: { 200: notificationResponse, ...errors },
        },
      },
      async (request) => toNotification(await service.markRead(resolveActor(request), request.params.notificationId)),
    );

    app.get(
      '/campaigns/:campaignId/reminders',
      {
        config: { access: 'reminders.read' },
        schema: {
          summary: 'Nhật ký nhắc hạn đã phát (đơn vị, bước, hạn, mốc) / Reminders dispatched',
          tags: ['notifications'],
          params: campaignParams,
          querystring: z.object({ unit: unitCodeSchema.optional() }),
          response: { 200: z.array(dispatchResponse), ...errors },
        },
      },
      async (request) =>
        (await service.dispatches(resolveActor(request), request.params.campaignId, request.query.unit)).map((row) => ({
          key: row.key,
          unit_code: row.unitCode,
          stage: row.stage,
          kind: row.kind as 'reminder' | 'escalation',
          offset: row.offset,
          deadline: iso(row.deadline)!,
          due_at: iso(row.dueAt)!,
          created_at: iso(row.createdAt)!,
        })),
    );

    app.get(
      '/campaigns/:campaignId/deliveries',
      {
        config: { access: 'reminders.read' },
        schema: {
          summary: 'Nhật ký gửi thư điện tử / E-mail delivery log',
          tags: ['notifications'],
          params: campaignParams,
          querystring: z.object({
            unit: unitCodeSchema.optional(),
            status: z.enum(DELIVERY_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
          response: { 200: z.array(deliveryResponse), ...errors },
        },
      },
      async (request) =>
        (
          await service.deliveries(resolveActor(request), {
            campaignId: request.params.campaignId,
            unitCode: request.query.unit,
            status: request.query.status,
            limit: request.query.limit,
          })
        ).map(toDelivery),
    );

    app.get(
      '/campaigns/:campaignId/reminder-policy',
      {
        config: { access: 'reminders.read' },
        schema: {
          summary: 'Chính sách nhắc hạn đang áp dụng / The reminder policy in force',
          tags: ['notifications'],
          params: campaignParams,
          response: { 200: reminderPolicySchema, ...errors },
        },
      },
      async (request) => {
        return service.policy(resolveActor(request), request.params.campaignId);
      },
    );

    app.put(
      '/campaigns/:campaignId/reminder-policy',
      {
        config: { access: 'reminders.policy_set' },
        schema: {
          summary: 'Sở Nội vụ thay đổi chính sách nhắc hạn (áp dụng từ lần lập lịch tiếp theo của mỗi đơn vị) / Change the reminder policy',
          tags: ['notifications'],
          params: campaignParams,
          body: reminderPolicySchema,
          response: { 200: reminderPolicySchema, ...errors },
        },
      },
      async (request) => service.setPolicy(resolveActor(request), request.params.campaignId, request.body),
    );
  };
}

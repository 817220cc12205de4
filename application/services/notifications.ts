import { actorLabel, type Actor } from '../../domain/actors';
import { resolveReminderPolicy, type ReminderPolicy, type ReminderPolicyInput } from '../../domain/reminders';
import type { DeliveryStatus } from '../../domain/deliveries';
import type { NotificationRepository } from '../../db/repositories/notifications';
import { ForbiddenError, NotFoundError } from '../errors';

export interface NotificationServiceDeps {
  notifications: Pick<
    NotificationRepository,
    'listInbox' | 'unreadCount' | 'findNotification' | 'markRead' | 'listDispatches' | 'listDeliveries' | 'reminderLog' | 'reminderPolicy' | 'saveReminderPolicy'
  >;
}

const isStaff = (actor: Actor) => actor.role === 'admin' || actor.role === 'coordinator';

/**
 * Whose inbox the caller reads. Recipients are unit codes until users get
 * their own inboxes: a unit user reads its unit's; admins and coordinators any
 * (Sở Nội vụ's by default).
 */
function inboxOf(actor: Actor, requested: string | undefined): string {
  if (isStaff(actor)) return requested ?? actor.unitCode ?? 'SNV';
  if (actor.role === 'unit' && actor.unitCode && (requested === undefined || requested === actor.unitCode)) return actor.unitCode;
  throw new ForbiddenError('forbidden', 'Bạn chỉ xem được hộp thư của đơn vị mình', 'You may read only your own unit’s inbox');
}

function requireStaff(actor: Actor) {
  if (!isStaff(actor)) {
    throw new ForbiddenError('forbidden', 'Chỉ Sở Nội vụ và điều phối viên xem nhắc hạn và chính sách nhắc hạn', 'Only Sở Nội vụ and coordinators read the reminders and the reminder policy');
  }
}

/** The in-app inbox, the reminder and delivery logs, and the campaign's reminder policy. */
export function createNotificationService({ notifications }: NotificationServiceDeps) {
  async function policyOf(campaignId: string): Promise<ReminderPolicy> {
    const found = await notifications.reminderPolicy(campaignId);
    if (!found) throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    return resolveReminderPolicy(found.override ?? found.fromDefinition);
  }

  return {
    async inbox(actor: Actor, query: { recipient?: string; campaignId?: string; unreadOnly?: boolean; limit?: number; beforeId?: number }) {
      const recipient = inboxOf(actor, query.recipient);
      const [items, unread] = await Promise.all([
        notifications.listInbox({ ...query, recipient }),
        notifications.unreadCount(recipient, query.campaignId),
      ]);
      return { recipient, unread, items };
    },

    async unreadCount(actor: Actor, query: { recipient?: string; campaignId?: string }) {
      const recipient = inboxOf(actor, query.recipient);
      return { recipient, unread: await notifications.unreadCount(recipient, query.campaignId) };
    },

    async markRead(actor: Actor, id: number) {
      const found = await notifications.findNotification(id);
      const notFound = new NotFoundError('notification_not_found', `Không tìm thấy thông báo ${id}`, `Notification ${id} not found`);
      if (!found) throw notFound;
      // Someone else's message is reported as absent, so ids do not reveal other inboxes.
      if (!isStaff(actor) && !(actor.role === 'unit' && actor.unitCode === found.recipient)) throw notFound;
      return (await notifications.markRead(id, actorLabel(actor)))!;
    },

    async dispatches(actor: Actor, campaignId: string, unitCode?: string) {
      requireStaff(actor);
      return notifications.listDispatches(campaignId, unitCode);
    },

    async deliveries(actor: Actor, filter: { campaignId: string; unitCode?: string; status?: DeliveryStatus; limit?: number }) {
      requireStaff(actor);
      return notifications.listDeliveries(filter);
    },

    /** The dashboard's summary of both logs; the caller has checked that the campaign exists. */
    async reminderLog(actor: Actor, filter: { campaignId: string; unitCode?: string; status?: DeliveryStatus; limit: number }) {
      requireStaff(actor);
      return notifications.reminderLog(filter);
    },

    /** The policy names the coordinators who receive escalations (and their e-mail): staff only. */
    async policy(actor: Actor, campaignId: string): Promise<ReminderPolicy> {
      requireStaff(actor);
      return policyOf(campaignId);
    },

    /** Sở Nội vụ changes the policy; each unit applies it from its next re-plan (a new stage or a moved deadline). */
    async setPolicy(actor: Actor, campaignId: string, policy: ReminderPolicy | ReminderPolicyInput): Promise<ReminderPolicy> {
      if (actor.role !== 'admin') {
        throw new ForbiddenError('forbidden', 'Chỉ Sở Nội vụ thay đổi chính sách nhắc hạn', 'Only Sở Nội vụ changes the reminder policy');
      }
      await policyOf(campaignId);
      const resolved = resolveReminderPolicy(policy);
      await notifications.saveReminderPolicy(campaignId, resolved, actorLabel(actor));
      return resolved;
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;

import type { Actor } from '../../domain/actors';
import type { ContactInput } from '../../domain/reminders';
import type { ContactRepository, ContactRow } from '../../db/repositories/contacts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';

export interface ContactServiceDeps {
  contacts: Pick<ContactRepository, 'listForUnit' | 'find' | 'create' | 'update' | 'remove'>;
}

function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin') {
    throw new ForbiddenError('forbidden', 'Chỉ Sở Nội vụ (quản trị) được thay đổi danh bạ đơn vị', 'Only Sở Nội vụ administrators change unit contacts');
  }
}

/** Admins and coordinators read every unit's contacts; a unit user reads its own unit's. */
function requireReader(actor: Actor, unitCode: string) {
  if (actor.role === 'admin' || actor.role === 'coordinator') return;
  if (actor.role === 'unit' && actor.unitCode === unitCode) return;
  throw new ForbiddenError('forbidden', `Bạn không xem được danh bạ của đơn vị ${unitCode}`, `You may not read the contacts of ${unitCode}`);
}

function duplicate(unitCode: string, email: string) {
  return new ConflictError('contact_exists', `Đơn vị ${unitCode} đã có liên hệ với thư điện tử ${email}`, `${unitCode} already has a contact with e-mail ${email}`);
}

function notFound(id: number) {
  return new NotFoundError('contact_not_found', `Không tìm thấy liên hệ ${id}`, `Contact ${id} not found`);
}

/** Unit contacts: who receives reminders (head, staff) and escalations (head, coordinators). */
export function createContactService({ contacts }: ContactServiceDeps) {
  return {
    async list(actor: Actor, unitCode: string): Promise<ContactRow[]> {
      requireReader(actor, unitCode);
      return contacts.listForUnit(unitCode);
    },

    async create(actor: Actor, unitCode: string, input: ContactInput): Promise<ContactRow> {
      requireAdmin(actor);
      const row = await contacts.create(unitCode, input);
      if (!row) throw duplicate(unitCode, input.email);
      return row;
    },

    async update(actor: Actor, id: number, input: ContactInput): Promise<ContactRow> {
      requireAdmin(actor);
      const existing = await contacts.find(id);
      if (!existing) throw notFound(id);
      const clash = (await contacts.listForUnit(existing.unitCode)).find((other) => other.id !== id && other.email === input.email);
      if (clash) throw duplicate(existing.unitCode, input.email);
      const row = await contacts.update(id, input);
      if (!row) throw notFound(id);
      return row;
    },

    async remove(actor: Actor, id: number): Promise<void> {
      requireAdmin(actor);
      if (!(await contacts.remove(id))) throw notFound(id);
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { CONTACT_ROLES, contactInputSchema } from '../../domain/reminders';
import type { ContactRow } from '../../application/views';
import { resolveActor } from '../actor';
import { errorResponseSchema, positiveIntParam, unitCodeSchema } from '../schemas';
import type { ContactService } from '../../application/services/contacts';

const contactResponse = z.object({
  id: z.number(),
  unit_code: z.string(),
  name: z.string(),
  role: z.enum(CONTACT_ROLES),
  email: z.string(),
  updated_at: z.string(),
});

const toResponse = (row: ContactRow) => ({
  id: row.id,
  unit_code: row.unitCode,
  name: row.name,
  role: row.role,
  email: row.email,
  updated_at: toVietnamIso(row.updatedAt.getTime()),
});

const unitParams = z.object({ unitCode: unitCodeSchema });
const idParams = z.object({ contactId: positiveIntParam() });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

/** Unit contacts: who gets reminders and escalations. Reading: admin, coordinator, the unit itself; changes: admin. */
export function contactRoutes(service: ContactService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/units/:unitCode/contacts',
      {
        config: { access: 'contacts.read' },
        schema: {
          summary: 'Danh bạ nhận nhắc hạn của một đơn vị / A unit’s reminder contacts',
          tags: ['notifications'],
          params: unitParams,
          response: { 200: z.array(contactResponse), ...errors },
        },
      },
      async (request) => (await service.list(resolveActor(request), request.params.unitCode)).map(toResponse),
    );

    app.post(
      '/units/:unitCode/contacts',
      {
        config: { access: 'contacts.manage' },
        schema: {
          summary: 'Thêm liên hệ (thủ trưởng, cán bộ đầu mối, điều phối viên) / Add a contact (head, staff, coordinator)',
          tags: ['notifications'],
          params: unitParams,
          body: contactInputSchema,
          response: { 201: contactResponse, ...errors },
        },
      },
      async (request, reply) => {
        const row = await service.create(resolveActor(request), request.params.unitCode, request.body);
        return reply.code(201).send(toResponse(row));
      },
    );

    app.put(
      '/contacts/:contactId',
      {
        config: { access: 'contacts.manage' },
        schema: {
          summary: 'Sửa một liên hệ / Change a contact',
          tags: ['notifications'],
          params: idParams,
          body: contactInputSchema,
          response: { 200: contactResponse, ...errors },
        },
      },
      async (request) => toResponse(await service.update(resolveActor(request), request.params.contactId, request.body)),
    );

    app.delete(
      '/contacts/:contactId',
      {
        config: { access: 'contacts.manage' },
        schema: {
          summary: 'Xoá một liên hệ / Remove a contact',
          tags: ['notifications'],
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await service.remove(resolveActor(request), request.params.contactId);
        return reply.code(204).send(null);
      },
    );
  };
}

import { z } from 'zod';

/** The shape of every error response (see error-handler.ts). */
export const errorResponseSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message_vi: z.string(),
  message_en: z.string(),
  issues: z
    .array(z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message_vi: z.string(), message_en: z.string() }))
    .optional(),
  /** A 503 update_pending: the key to retry the step with (also in the Idempotency-Key header). */
  idempotency_key: z.string().optional(),
  request_id: z.string(),
});

/** A campaign's business ID, par-<year>-<slug>. */
export const campaignIdSchema = z.string().regex(/^par-\d{4}-[a-z0-9-]+$/, 'a campaign ID such as par-2019-hn');

/** A unit's code as in the campaign definition, e.g. STP or QUAN_BA_DINH. */
export const unitCodeSchema = z.string().regex(/^[A-Z0-9_]{1,40}$/, 'a unit code such as STP');

/** The error statuses a workflow step can answer with (see api/update-errors.ts). */
export const stepErrorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

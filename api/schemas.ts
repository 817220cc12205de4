import { z } from 'zod';
import { INT32_MAX } from '../domain/numbers';
import { campaignIdText, codeText, unitCodeText } from '../domain/text';

/** The shape of every error response (see error-handler.ts). */
export const errorResponseSchema = z.object({
  status_code: z.number(),
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
export const campaignIdSchema = campaignIdText();

/** A unit's code as in the campaign definition, e.g. STP or QUAN_BA_DINH. */
export const unitCodeSchema = unitCodeText();

/** A code of the framework library (a framework's code). */
export const frameworkCodeSchema = codeText(undefined, 'hn-2019');

/**
 * A positive whole number in a path or query string (an id, a version, a pass):
 * bounded by what the read model's integer columns hold, so a larger one is a 400.
 */
export const positiveIntParam = () => z.coerce.number().int().positive().max(INT32_MAX);

/** The error statuses a workflow step can answer with (see application/update-errors.ts). */
export const stepErrorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

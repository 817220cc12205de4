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
  request_id: z.string(),
});

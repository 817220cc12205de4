import { z } from 'zod';

/**
 * Who acts. The API derives the actor from the caller's credentials and passes
 * it in every workflow update, so workflow validators can refuse a step that is
 * "not your unit" or "not your area" with a reason.
 */
export const ROLES = ['admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public'] as const;
export type Role = (typeof ROLES)[number];

export const actorSchema = z.object({
  id: z.string().min(1),
  role: z.enum(ROLES),
  /** The unit a `unit` user belongs to, or the department a `contributor` speaks for. */
  unitCode: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export { actorLabel } from './actor-label';

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'admin' };

/** A caller without a login where a rule lets one read (published results): the public role's rights. */
export const VISITOR_ACTOR: Actor = { id: 'khach', role: 'public' };

import type { Actor } from './actors';

// Apart from actors.ts (a zod schema) so that workflows can import it without zod (issue 8).

/** A label for logs and the event log, e.g. "contributor:STP/nguyenvana". */
export function actorLabel(actor: Actor): string {
  return `${actor.role}${actor.unitCode ? `:${actor.unitCode}` : ''}/${actor.id}`;
}

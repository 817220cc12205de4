import type { Actor, Role } from './actors';

// Apart from actors.ts (a zod schema) so that workflows can import it without zod, which every
// workflow would otherwise evaluate once more (BENCHMARKS.md, what a cached unit workflow costs).

/** A label for logs and the event log, e.g. "contributor:STP/nguyenvana". */
export function actorLabel(actor: Actor): string {
  return `${actor.role}${actor.unitCode ? `:${actor.unitCode}` : ''}/${actor.id}`;
}

export const ROLE_LABEL_VI: Record<Role, string> = {
  admin: 'Sở Nội vụ',
  coordinator: 'Điều phối viên',
  contributor: 'Cơ quan thẩm định',
  unit: 'Đơn vị được đánh giá',
  institute: 'Viện nghiên cứu (điều tra XHH)',
  council: 'Hội đồng thẩm định',
  public: 'Người dân',
};

const isRole = (text: string): text is Role => Object.hasOwn(ROLE_LABEL_VI, text);

/**
 * An actor label read back in Vietnamese for the event log: "contributor:VP/vp.thamdinh"
 * reads "Cơ quan thẩm định VP (vp.thamdinh)". The workflows also record a bare
 * role ("council") and "system" for what the workflows did on their own (a deadline passed, a stage followed).
 */
export function actorLabelVi(label: string): string {
  if (label === 'system') return 'Hệ thống';
  if (isRole(label)) return ROLE_LABEL_VI[label];
  const match = /^([a-z]+)(?::([^/]+))?\/(.+)$/.exec(label);
  if (!match || !isRole(match[1]!)) return label;
  return `${ROLE_LABEL_VI[match[1]]}${match[2] ? ` ${match[2]}` : ''} (${match[3]})`;
}

/** The username in an actor label ("contributor:SXD/sxd.thamdinh" → "sxd.thamdinh"); null for the system and a bare role. */
export function actorUsername(label: string): string | null {
  const slash = label.lastIndexOf('/');
  return slash >= 0 && slash < label.length - 1 ? label.slice(slash + 1) : null;
}

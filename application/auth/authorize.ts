import type { Actor } from '../../domain/actors';
import { ownUnitRefusal, PERMISSIONS, rolesEverAllowed, type Permission, type PermissionRule } from '../../domain/permissions';
import { ForbiddenError } from '../errors';

/**
 * The authorization checks the services call (authorization lives in
 * the services, not only in routes). Pure functions of the actor and what the
 * service knows about the target; they throw ForbiddenError with the reason in
 * Vietnamese and English.
 */

function refuse(rule: PermissionRule): never {
  throw new ForbiddenError('forbidden', rule.vi, rule.en);
}

/** The role check alone, without the publication clause: what a route checks before reading the body. */
export function assertRoleMayEver(actor: Actor, permission: Permission): void {
  if (!rolesEverAllowed(permission).includes(actor.role)) refuse(PERMISSIONS[permission]);
}

/** Whether the actor's role holds the permission, with the publication clause of domain/permissions.ts. */
export function holds(actor: Actor, permission: Permission, scope: { published?: boolean } = {}): boolean {
  const rule: PermissionRule = PERMISSIONS[permission];
  return rule.roles.includes(actor.role) || (scope.published === true && rule.afterPublication?.includes(actor.role) === true);
}

/** The role check with the publication clause of domain/permissions.ts. */
export function authorize(actor: Actor, permission: Permission, scope: { published?: boolean } = {}): void {
  if (!holds(actor, permission, scope)) refuse(PERMISSIONS[permission]);
}

export interface ReadTarget {
  campaignId: string;
  /** Set when the data belong to one unit (its progress, scores, evidence, results). */
  unitCode?: string;
  /** Whether the campaign's results are published (stage `published`). */
  published: boolean;
}

/**
 * May the actor read this campaign's data (or one unit's)? Sở Nội vụ,
 * coordinators, contributors (they appraise every unit in their areas), the
 * institute and the council read everything; a unit reads the campaign and its
 * own data, and other units' once the results are published; a public user
 * reads only published campaigns. For the results and exports routes too.
 */
export function canRead(actor: Actor, target: ReadTarget): boolean {
  switch (actor.role) {
    case 'admin':
    case 'coordinator':
    case 'contributor':
    case 'institute':
    case 'council':
      return true;
    case 'unit':
      return target.unitCode === undefined || target.unitCode === actor.unitCode || target.published;
    case 'public':
      return target.published;
  }
}

export function assertCanRead(actor: Actor, target: ReadTarget): void {
  if (canRead(actor, target)) return;
  if (actor.role === 'unit') {
    throw new ForbiddenError(
      'forbidden',
      `Đơn vị chỉ xem dữ liệu của mình cho đến khi công bố kết quả (${target.unitCode ?? target.campaignId})`,
      `A unit reads only its own data until the results are published (${target.unitCode ?? target.campaignId})`,
    );
  }
  throw new ForbiddenError(
    'forbidden',
    `Kết quả đợt đánh giá ${target.campaignId} chưa được công bố`,
    `The results of campaign ${target.campaignId} are not published yet`,
  );
}

/** A unit user (or any role bound to a unit) acts only for its own unit. */
export function assertOwnUnit(actor: Actor, unitCode: string, unitName: string = unitCode): void {
  if (actor.role === 'unit' && actor.unitCode !== unitCode) {
    const { vi, en } = ownUnitRefusal(unitCode, unitName);
    throw new ForbiddenError('forbidden', vi, en);
  }
}

/** A contributor appraises only the areas its department owns in the campaign definition. */
export function assertOwnsArea(actor: Actor, areaCode: string, owners: readonly string[]): void {
  if (actor.role === 'contributor' && (actor.unitCode === undefined || !owners.includes(actor.unitCode))) {
    throw new ForbiddenError('forbidden', `Lĩnh vực ${areaCode} không do đơn vị của bạn thẩm định`, `Area ${areaCode} is not appraised by your department`);
  }
}

/** A contributor sends guidance only in its own name. */
export function assertSpeaksFor(actor: Actor, contributor: string): void {
  if (actor.role === 'contributor' && actor.unitCode !== contributor) {
    throw new ForbiddenError('forbidden', `Bạn không gửi hướng dẫn thay cho ${contributor}`, `You cannot send guidance for ${contributor}`);
  }
}

/** What the fuzz knows of the demo seed: who it calls as, which accounts it may spend, and the codes a valid request names. */
import type { Role } from '../../domain/actors';
import type { CampaignDefinition } from '../../domain/campaign';
import { listSubcriteria } from '../../domain/framework';
import { rolesEverAllowed } from '../../domain/permissions';
import { campaignIdOf } from '../../domain/units';
import type { RouteAccess } from '../../http/auth/plugin';
import { demoUsers } from '../../seed/users';

const DEMO_USERS = demoUsers();

/** One demo account per role (README "Demo users"); null: no login at all. */
export const ACCOUNTS = ['snv.admin', 'snv.dieuphoi', 'stp.thamdinh', 'stp', 'vien.khaosat', 'hoidong.thanhvien', 'congdan', null] as const;

/** Demo accounts the fuzz sends no requests as: the session-ending routes log them in and out, and they may be locked or lose their password. */
export const SPARES = DEMO_USERS.filter(
  (user) => user.role === 'unit' && !(ACCOUNTS as readonly (string | null)[]).includes(user.username),
).map((user) => user.username);

/** The unit each unit account acts for: a valid request of a unit's own route names that unit. */
export const UNIT_OF: ReadonlyMap<string, string | null> = new Map(DEMO_USERS.flatMap((user) => (user.role === 'unit' ? [[user.username, user.unitCode] as const] : [])));

const ROLE_OF: ReadonlyMap<string, Role> = new Map(DEMO_USERS.map((user) => [user.username, user.role]));

export const roleOf = (account: string): Role | undefined => ROLE_OF.get(account);

/** Whether the route's access rule lets `account` (null: nobody signed in) past authorization: only such a caller sends a valid request. */
export function admits(access: RouteAccess, account: string | null): boolean {
  if (access === 'public') return true;
  const role = account === null ? undefined : roleOf(account);
  if (role === undefined) return false;
  return access === 'signed-in' || rolesEverAllowed(access).includes(role);
}

/** The demo's codes, by the field and parameter names that carry them: a valid body names a unit and a sub-criterion that exist. */
export function demoHints(campaign: CampaignDefinition): Record<string, string[]> {
  const groups = Object.values(campaign.framework.groups);
  const units = campaign.units.map((unit) => unit.code);
  const areas = [...new Set(groups.flatMap((group) => group.areas.map((area) => area.code)))];
  const campaignId = campaignIdOf(campaign);
  return {
    campaignId: [campaignId],
    campaign_id: [campaignId],
    unitCode: units,
    unit_code: units,
    units,
    code: [...new Set(groups.flatMap((group) => listSubcriteria(group).map((location) => location.subcriterion.code)))],
    area_code: areas,
    areas,
    areas_owned: areas,
    contributor: campaign.contributors.map((contributor) => contributor.unit),
    group: Object.keys(campaign.framework.groups),
    // Deadlines ahead of now: one already past is refused for what it is.
    deadline: ['2030-01-15', '2030-06-30'],
    date: ['2030-01-15'],
  };
}

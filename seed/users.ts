import { hashPassword } from '../application/auth/passwords';
import type { NewUser, UserRepository } from '../db/repositories/users';
import type { Role } from '../domain/actors';
import hanoi from './hanoi-2019.json';

/**
 * Demo accounts for the Hanoi 2019 campaign, all with one shared password
 * (README "Demo users"). Usernames: `snv.admin` (Sở Nội vụ), `snv.dieuphoi`
 * (coordinator), `<unit>.thamdinh` for each guidance contributor (e.g.
 * `stp.thamdinh` appraises area 2), the unit code in lowercase for each unit
 * (`stp`, `quan_ba_dinh`), `vien.khaosat` (survey institute), `hoidong.thanhvien`
 * (council member), `congdan` (public).
 */
export const DEMO_PASSWORD = 'ParIndex@2019';

export interface DemoUser {
  username: string;
  role: Role;
  unitCode: string | null;
  displayName: string;
}

export function demoUsers(): DemoUser[] {
  const nameOf = new Map(hanoi.units.map((unit) => [unit.code, unit.name_vi]));
  return [
    { username: 'snv.admin', role: 'admin', unitCode: 'SNV', displayName: 'Quản trị Sở Nội vụ' },
    { username: 'snv.dieuphoi', role: 'coordinator', unitCode: null, displayName: 'Điều phối viên Chỉ số CCHC' },
    ...hanoi.guidance_contributors.map(({ unit }) => ({
      username: `${unit.toLowerCase()}.thamdinh`,
      role: 'contributor' as const,
      unitCode: unit,
      displayName: `Thẩm định — ${nameOf.get(unit) ?? unit}`,
    })),
    ...hanoi.units.map((unit) => ({
      username: unit.code.toLowerCase(),
      role: 'unit' as const,
      unitCode: unit.code,
      displayName: unit.name_vi,
    })),
    { username: 'vien.khaosat', role: 'institute', unitCode: null, displayName: 'Viện nghiên cứu phát triển KT-XH (điều tra XHH)' },
    { username: 'hoidong.thanhvien', role: 'council', unitCode: null, displayName: 'Thành viên Hội đồng thẩm định' },
    { username: 'congdan', role: 'public', unitCode: null, displayName: 'Người dân' },
  ];
}

/**
 * Inserts the demo users that do not exist yet, each with its own salt; an
 * existing account (and a password someone changed) is left alone. Returns how many were added.
 */
export async function seedDemoUsers(users: Pick<UserRepository, 'existing' | 'insertMissing'>, password = DEMO_PASSWORD, nodeEnv = process.env.NODE_ENV): Promise<number> {
  // Sixty-six accounts with a password printed in the README must never open a production system.
  if (nodeEnv === 'production' && password === DEMO_PASSWORD) {
    throw new Error('refusing to seed the demo users with the public demo password in production mode (NODE_ENV=production)');
  }
  const all = demoUsers();
  const present = await users.existing(all.map((user) => user.username));
  const missing = all.filter((user) => !present.has(user.username));
  const rows: NewUser[] = await Promise.all(missing.map(async (user) => ({ ...user, passwordHash: await hashPassword(password) })));
  return users.insertMissing(rows);
}

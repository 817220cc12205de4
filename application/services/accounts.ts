import type { Actor, Role } from '../../domain/actors';
import { ROLE_LABEL_VI } from '../../domain/actor-label';
import { issue } from '../../domain/issues';
import type { AccountChanges, AccountFields, AccountRepository, AccountRow, AuditRow } from '../../db/repositories/accounts';
import type { OrganisationRepository } from '../../db/repositories/organisations';
import { authorize } from '../auth/authorize';
import { generateOneTimePassword, hashOneTimePassword } from '../auth/one-time';
import { ConflictError, NotFoundError, ValidationError } from '../errors';

/**
 * Account management for Sở Nội vụ's admin: create, change, disable, enable,
 * reset a password. Accounts are never deleted (the event log keeps naming the
 * person). New and reset accounts get a one-time password, answered once and
 * stored only hashed (application/auth/one-time.ts). Every change is audited with its
 * actor (db/repositories/accounts.ts).
 */

/** Roles that act for one unit (a unit's staff, a contributor department): they need one (db/schema-auth.ts). */
export const ROLES_WITH_UNIT: readonly Role[] = ['unit', 'contributor'];

export interface AccountServiceDeps {
  accounts: AccountRepository;
  /** Where an account's organisation must be found, not disabled. */
  organisations: Pick<OrganisationRepository, 'activeCodes'>;
  now: () => number;
  oneTimeTtlHours: number;
}

export type NewAccount = Omit<AccountFields, 'active'>;

export interface IssuedCredential {
  account: AccountRow;
  oneTimePassword: string;
  expiresAt: Date;
}

function notFound(username: string): NotFoundError {
  return new NotFoundError('account_not_found', `Không có tài khoản ${username}`, `No account ${username}`);
}

/**
 * A unit's account needs its unit; a contributor's its unit or its organisation (an appraising department
 * that is not assessed belongs to the directory); no account has both.
 */
function needsUnit(role: Role, unitCode: string | null, organisationCode: string | null): void {
  if (unitCode && organisationCode) {
    throw new ValidationError(
      [issue(['body', 'organisation_code'], 'unit_or_organisation', 'Tài khoản thuộc một đơn vị hoặc một cơ quan, không cả hai', 'An account belongs to a unit or an organisation, not both')],
      'Tài khoản thuộc một đơn vị hoặc một cơ quan, không cả hai: chỉ chọn một',
      'An account belongs to a unit or an organisation: fill in unit_code or organisation_code, not both',
    );
  }
  if (role === 'contributor' && !unitCode && !organisationCode) {
    throw new ValidationError(
      [issue(['body', 'organisation_code'], 'unit_required', `Vai trò «${ROLE_LABEL_VI.contributor}» cần một cơ quan hoặc một đơn vị`, 'Role contributor needs an organisation (organisation_code) or a unit (unit_code)')],
      `Vai trò «${ROLE_LABEL_VI.contributor}» cần một cơ quan (hoặc một đơn vị)`,
      'Role contributor needs an organisation: fill in organisation_code (or unit_code)',
    );
  }
  if (ROLES_WITH_UNIT.includes(role) && role !== 'contributor' && !unitCode) {
    throw new ValidationError(
      [issue(['body', 'unit_code'], 'unit_required', `Vai trò “${ROLE_LABEL_VI[role]}” cần đơn vị (unit_code)`, `Role ${role} needs a unit (unit_code)`)],
      `Vai trò “${ROLE_LABEL_VI[role]}” cần đơn vị (unit_code)`,
      `Role ${role} needs a unit: fill in unit_code`,
    );
  }
}

function unknownOrganisation(code: string): ValidationError {
  return new ValidationError(
    [issue(['body', 'organisation_code'], 'unknown_organisation', `Không có cơ quan mã ${code} trong danh mục (hoặc đã ngừng)`, `No organisation ${code} in the directory (or it is disabled)`)],
    `Không có cơ quan mã ${code} trong danh mục (organisation_code)`,
    `No organisation ${code} in the directory (organisation_code)`,
  );
}

function usernameTaken(username: string): ConflictError {
  return new ConflictError(
    'username_taken',
    `Tên đăng nhập ${username} đã có (username)`,
    `Username ${username} is taken (username)`,
    [issue(['body', 'username'], 'username_taken', `Tên đăng nhập ${username} đã có`, `Username ${username} is taken`)],
  );
}

function emailTaken(email: string, owner: string): ConflictError {
  return new ConflictError(
    'email_taken',
    `Thư điện tử ${email} đã dùng cho tài khoản ${owner} (email)`,
    `E-mail ${email} is already used by account ${owner} (email)`,
    [issue(['body', 'email'], 'email_taken', `Thư điện tử ${email} đã dùng cho tài khoản khác`, `E-mail ${email} is used by another account`)],
  );
}

export function createAccountService({ accounts, organisations, now, oneTimeTtlHours }: AccountServiceDeps) {
  async function assertOrganisationKnown(code: string | null | undefined): Promise<void> {
    if (code && !(await organisations.activeCodes([code])).has(code)) throw unknownOrganisation(code);
  }

  async function assertEmailFree(email: string | null | undefined, username: string): Promise<void> {
    if (!email) return;
    const owner = await accounts.usernameWithEmail(email);
    if (owner !== null && owner !== username) throw emailTaken(email, owner);
  }

  async function oneTime(): Promise<{ password: string; hash: string; expiresAt: Date }> {
    const password = generateOneTimePassword();
    return { password, hash: await hashOneTimePassword(password), expiresAt: new Date(now() + oneTimeTtlHours * 3_600_000) };
  }

  return {
    /**
     * Creates an account with a one-time password. `actor` is who does it: the admin, or the
     * `system` of the admin:create command (which has no one signed in).
     */
    async createAs(actorId: string, input: NewAccount): Promise<IssuedCredential> {
      needsUnit(input.role, input.unitCode, input.organisationCode);
      await assertOrganisationKnown(input.organisationCode);
      if (await accounts.find(input.username)) throw usernameTaken(input.username);
      await assertEmailFree(input.email, input.username);
      const credential = await oneTime();
      const account = await accounts.create(actorId, input, credential.hash, credential.expiresAt);
      if (!account) throw usernameTaken(input.username);
      return { account, oneTimePassword: credential.password, expiresAt: credential.expiresAt };
    },

    async create(actor: Actor, input: NewAccount): Promise<IssuedCredential> {
      authorize(actor, 'accounts.manage');
      return this.createAs(actor.id, input);
    },

    async list(actor: Actor, filter: { unitCode?: string; organisationCode?: string; role?: Role }): Promise<AccountRow[]> {
      authorize(actor, 'accounts.manage');
      return accounts.list(filter);
    },

    async update(actor: Actor, username: string, changes: AccountChanges): Promise<AccountRow> {
      authorize(actor, 'accounts.manage');
      const current = await accounts.find(username);
      if (!current) throw notFound(username);
      const role = changes.role ?? current.role;
      const unitCode = changes.unitCode !== undefined ? changes.unitCode : current.unitCode;
      const organisationCode = changes.organisationCode !== undefined ? changes.organisationCode : current.organisationCode;
      needsUnit(role, unitCode, organisationCode);
      await assertOrganisationKnown(changes.organisationCode);
      await assertEmailFree(changes.email, username);
      const updated = await accounts.update(actor.id, username, changes, new Date(now()));
      if (!updated) throw notFound(username);
      return updated;
    },

    async setActive(actor: Actor, username: string, active: boolean): Promise<AccountRow> {
      authorize(actor, 'accounts.manage');
      if (!active && username === actor.id) {
        throw new ConflictError('cannot_disable_self', 'Bạn không tự khóa tài khoản của mình', 'You cannot disable your own account');
      }
      const updated = await accounts.setActive(actor.id, username, active, new Date(now()));
      if (!updated) throw notFound(username);
      return updated;
    },

    /** A new one-time password; the old password and every token of the account stop working. */
    async resetPassword(actor: Actor, username: string): Promise<IssuedCredential> {
      authorize(actor, 'accounts.manage');
      const credential = await oneTime();
      const account = await accounts.setPassword(actor.id, username, credential.hash, credential.expiresAt, new Date(now()));
      if (!account) throw notFound(username);
      return { account, oneTimePassword: credential.password, expiresAt: credential.expiresAt };
    },

    /** The units an account may be tied to, with their names (for the dashboard's choices). */
    async knownUnits(actor: Actor): Promise<{ code: string; nameVi: string }[]> {
      authorize(actor, 'accounts.manage');
      return accounts.knownUnits();
    },

    async auditLog(actor: Actor, filter: { username?: string; limit: number }): Promise<AuditRow[]> {
      authorize(actor, 'accounts.manage');
      return accounts.auditLog(filter);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

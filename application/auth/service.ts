import type { Actor, Role } from '../../domain/actors';
import type { AccountRepository } from '../../db/repositories/accounts';
import type { SessionRepository, TokenSession } from '../../db/repositories/sessions';
import type { UserRecord, UserRepository } from '../../db/repositories/users';
import { UnauthorizedError, ValidationError } from '../errors';
import { issue } from '../../domain/issues';
import { passwordPolicyIssues } from './password-policy';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import type { TokenService } from './tokens';

export interface AuthServiceDeps {
  users: Pick<UserRepository, 'findByUsername' | 'recordFailure' | 'recordSuccess'>;
  /** Where a changed password is stored, with its audit entry. */
  accounts: Pick<AccountRepository, 'setPassword'>;
  tokens: Pick<TokenService, 'sign'>;
  sessions: Pick<SessionRepository, 'revokeToken'>;
  now: () => number;
}

export interface SignedInUser {
  username: string;
  role: Role;
  unitCode: string | null;
  organisationCode: string | null;
  displayName: string;
}

/**
 * The one refusal for a wrong password, an unknown username, a disabled account
 * and a locked one alike: a caller learns nothing about which accounts exist or
 * how they stand. The admin sees a lock in GET /accounts (`locked_until`).
 */
function invalidCredentials(): UnauthorizedError {
  return new UnauthorizedError(
    'invalid_credentials',
    'Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa',
    'Wrong username or password, or the account is disabled or locked',
  );
}

/**
 * The actor acts for its unit, or else for its organisation: a contributor of a campaign names either
 * (domain/campaign.ts), and the workflows compare that one code.
 */
const actorOf = (user: UserRecord): Actor => {
  const actsFor = user.unitCode ?? user.organisationCode ?? null;
  return { id: user.username, role: user.role, ...(actsFor ? { unitCode: actsFor } : {}) };
};
const signedIn = (user: UserRecord): SignedInUser => ({
  username: user.username,
  role: user.role,
  unitCode: user.unitCode,
  organisationCode: user.organisationCode ?? null,
  displayName: user.displayName,
});

/**
 * Login: the username and password against the users table; the answer is a token for the API and the
 * cookie. Failed logins lock the account with back-off (domain/lockout.ts); a one-time password logs in
 * once, before it expires, into a session that must change the password first.
 */
export function createAuthService({ users, accounts, tokens, sessions, now }: AuthServiceDeps) {
  return {
    async login(username: string, password: string) {
      // The token is dated from before the row is read: an account change that cuts its sessions off
      // after the read (db/repositories/accounts.ts stamps it once it holds the row) refuses this token
      // too, so it never outlives the role, unit or password it was read with. A change already holding
      // the row is waited for.
      const startedAt = now();
      const user = await users.findByUsername(username.trim().toLowerCase(), { waitForChanges: true });
      // Same work whether the user exists or not, so timing does not tell which usernames exist.
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      const at = new Date(now());
      if (!user || !user.active) throw invalidCredentials();
      // While locked even the right password is refused, and the attempt does not lengthen the lock.
      if (user.lockedUntil && user.lockedUntil > at) throw invalidCredentials();
      if (!matches) {
        await users.recordFailure(user.username, at);
        throw invalidCredentials();
      }
      const oneTime = user.oneTimeExpiresAt !== null;
      // Only the holder of the right one-time password reaches these: telling them why is safe.
      const oneTimeUsed = () =>
        new UnauthorizedError(
          'one_time_password_used',
          'Mật khẩu dùng một lần này đã được dùng; đề nghị Sở Nội vụ cấp lại mật khẩu',
          'This one-time password has been used already; ask Sở Nội vụ for a new one',
        );
      if (oneTime && user.oneTimeUsedAt !== null) throw oneTimeUsed();
      if (oneTime && user.oneTimeExpiresAt! <= at) {
        throw new UnauthorizedError(
          'one_time_password_expired',
          'Mật khẩu dùng một lần này đã hết hạn; đề nghị Sở Nội vụ cấp lại mật khẩu',
          'This one-time password has expired; ask Sở Nội vụ for a new one',
        );
      }
      if (!(await users.recordSuccess(user.username, at, oneTime))) throw oneTimeUsed();
      const issued = await tokens.sign(actorOf(user), { mustChangePassword: oneTime, issuedAtMs: startedAt });
      return { ...issued, mustChangePassword: oneTime, user: signedIn(user) };
    },

    /**
     * The caller's own password: the current one again (the one-time one, in a forced change) and a
     * new one that meets the policy. Every token the user held ends; the answer is a fresh token.
     */
    async changePassword(actor: Actor, session: TokenSession | null, current: string, next: string) {
      const user = await users.findByUsername(actor.id);
      if (!user || !user.active) throw invalidCredentials();
      // A locked account takes no guesses here either, as at login.
      if (user.lockedUntil && user.lockedUntil > new Date(now())) throw invalidCredentials();
      if (!(await verifyPassword(current, user.passwordHash))) {
        // Counts as a failed login: a stolen session cannot guess the password at leisure.
        await users.recordFailure(user.username, new Date(now()));
        throw new ValidationError(
          [issue(['body', 'current_password'], 'wrong_current_password', 'Mật khẩu hiện tại không đúng', 'The current password is wrong')],
          'Mật khẩu hiện tại không đúng (current_password)',
          'The current password is wrong (current_password)',
        );
      }
      const problems = passwordPolicyIssues(next, user.username, ['body', 'new_password']);
      if (current === next) {
        problems.push(issue(['body', 'new_password'], 'same_as_current', 'Mật khẩu mới phải khác mật khẩu hiện tại', 'The new password must differ from the current one'));
      }
      if (problems.length > 0) throw new ValidationError(problems, `Mật khẩu mới không đạt yêu cầu: ${problems[0]!.message_vi}`, `The new password is refused: ${problems[0]!.message_en}`);
      const hash = await hashPassword(next);
      const at = now();
      const saved = await accounts.setPassword(user.username, user.username, hash, null, new Date(at));
      if (session) await sessions.revokeToken(session, new Date(at));
      // After the cutoff, to the millisecond: the new token outlives the ones it replaces.
      const issued = await tokens.sign(actorOf(user), { issuedAtMs: Math.max(at, saved?.updatedAt.getTime() ?? at) + 1 });
      return { ...issued, user: signedIn(user) };
    },

    /** Ends the caller's token, whether it came as a bearer or in the cookie: it is refused from now on. */
    async logout(session: TokenSession | null): Promise<void> {
      if (session) await sessions.revokeToken(session, new Date(now()));
    },

    /** The signed-in user as stored now; 401 if the account has since been removed or disabled. */
    async me(actor: Actor): Promise<SignedInUser> {
      const user = await users.findByUsername(actor.id);
      if (!user || !user.active) {
        throw new UnauthorizedError('unauthenticated', 'Tài khoản không còn hoạt động', 'The account is no longer active');
      }
      return signedIn(user);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

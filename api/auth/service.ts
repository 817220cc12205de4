import type { Actor, Role } from '../../domain/actors';
import type { SessionRepository, TokenSession } from '../../db/repositories/sessions';
import type { UserRepository } from '../../db/repositories/users';
import { UnauthorizedError } from '../errors';
import { decoyHash, verifyPassword } from './passwords';
import type { TokenService } from './tokens';

export interface AuthServiceDeps {
  users: Pick<UserRepository, 'findByUsername'>;
  tokens: Pick<TokenService, 'sign'>;
  sessions: Pick<SessionRepository, 'revokeToken'>;
  now: () => number;
}

export interface SignedInUser {
  username: string;
  role: Role;
  unitCode: string | null;
  displayName: string;
}

/** Login: the username and password against the users table; the answer is a token for the API and the cookie. */
export function createAuthService({ users, tokens, sessions, now }: AuthServiceDeps) {
  return {
    async login(username: string, password: string) {
      const user = await users.findByUsername(username.trim().toLowerCase());
      // Same work whether the user exists or not, so timing does not tell which usernames exist.
      const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      if (!user || !matches || !user.active) {
        throw new UnauthorizedError(
          'invalid_credentials',
          'Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa',
          'Wrong username or password, or the account is disabled',
        );
      }
      const actor: Actor = { id: user.username, role: user.role, ...(user.unitCode ? { unitCode: user.unitCode } : {}) };
      const issued = await tokens.sign(actor);
      const signedIn: SignedInUser = { username: user.username, role: user.role, unitCode: user.unitCode, displayName: user.displayName };
      return { ...issued, user: signedIn };
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
      return { username: user.username, role: user.role, unitCode: user.unitCode, displayName: user.displayName };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

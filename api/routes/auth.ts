import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/actors';
import { authHeaders, resolveActor } from '../actor';
import { clearSessionCookie, setSessionCookie, type AuthOptions } from '../../http/auth/plugin';
import type { AuthService, SignedInUser } from '../../application/auth/service';
import { plainText } from '../../domain/text';
import { MAX_PASSWORD_LENGTH } from '../../application/auth/password-policy';
import { errorResponseSchema } from '../schemas';

const userSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  unit_code: z.string().nullable(),
  /** The organisation of the directory the account belongs to, when it belongs to one rather than to a unit. */
  organisation_code: z.string().nullable(),
  display_name: z.string(),
});

const toUser = (user: SignedInUser): z.input<typeof userSchema> => ({
  username: user.username,
  role: user.role,
  unit_code: user.unitCode,
  organisation_code: user.organisationCode,
  display_name: user.displayName,
});

const loginBody = z.object({
  username: plainText({ min: 1, max: 100 }),
  // Spaces are part of a password; the same characters are refused as anywhere.
  password: plainText({ min: 1, max: MAX_PASSWORD_LENGTH, keepSpaces: true }),
});

/** Login attempts are limited per client IP and username (password guessing), on top of the global limit. */
const LOGIN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' };

/**
 * POST /auth/login → a bearer token for API clients and, for the dashboard, the
 * same token in an httpOnly SameSite=Lax cookie; POST /auth/logout revokes the
 * token it is called with (bearer or cookie) and clears the cookie; GET /auth/me
 * says who the token belongs to.
 */
export function authRoutes(auth: AuthService, cookie: Pick<AuthOptions, 'secureCookie' | 'tokens'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { access: 'public', rateLimit: { ...LOGIN_RATE_LIMIT, hook: 'preHandler', keyGenerator: (request) => `${request.ip}|${loginKey(request.body)}` } },
        schema: {
          summary: 'Đăng nhập: nhận token (Bearer) và cookie phiên / Log in: a bearer token and a session cookie',
          tags: ['auth'],
          body: loginBody,
          response: {
            200: z.object({
              token: z.string(),
              token_type: z.literal('Bearer'),
              expires_in: z.number(),
              /** Logged in with a one-time password: every route but POST /auth/password answers 403 until it is changed. */
              must_change_password: z.boolean(),
              user: userSchema,
            }),
            400: errorResponseSchema,
            401: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const { token, expiresIn, user, mustChangePassword } = await auth.login(request.body.username, request.body.password);
        setSessionCookie(reply, token, cookie);
        return { token, token_type: 'Bearer' as const, expires_in: expiresIn, must_change_password: mustChangePassword, user: toUser(user) };
      },
    );

    app.post(
      '/auth/password',
      {
        // Per caller (the auth hook has run): one person's attempts do not use up another's behind the same NAT.
        config: { access: 'signed-in', rateLimit: { ...LOGIN_RATE_LIMIT, hook: 'preHandler', keyGenerator: (request) => `${request.ip}|${request.actor?.id ?? ''}` } },
        schema: {
          summary: 'Đổi mật khẩu của mình: mật khẩu hiện tại và mật khẩu mới / Change one’s own password: the current one and a new one',
          tags: ['auth'],
          headers: authHeaders,
          body: z.object({
            current_password: plainText({ min: 1, max: MAX_PASSWORD_LENGTH, keepSpaces: true }),
            new_password: plainText({ min: 1, max: MAX_PASSWORD_LENGTH, keepSpaces: true }),
          }),
          response: {
            200: z.object({ token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number(), user: userSchema }),
            400: errorResponseSchema,
            401: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const { token, expiresIn, user } = await auth.changePassword(resolveActor(request), request.session, request.body.current_password, request.body.new_password);
        setSessionCookie(reply, token, cookie);
        return { token, token_type: 'Bearer' as const, expires_in: expiresIn, user: toUser(user) };
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Đăng xuất: thu hồi token (Bearer hoặc cookie) và xóa cookie phiên / Log out: revokes the token (bearer or cookie) and clears the cookie',
          tags: ['auth'],
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await auth.logout(request.session);
        clearSessionCookie(reply, cookie);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { access: 'signed-in' },
        schema: {
          summary: 'Người dùng đang đăng nhập / The signed-in user',
          tags: ['auth'],
          headers: authHeaders,
          response: { 200: userSchema, 401: errorResponseSchema },
        },
      },
      async (request) => toUser(await auth.me(resolveActor(request))),
    );
  };
}

function loginKey(body: unknown): string {
  const username = typeof body === 'object' && body !== null && 'username' in body ? (body as { username: unknown }).username : '';
  return typeof username === 'string' ? username.trim().toLowerCase().slice(0, 100) : '';
}

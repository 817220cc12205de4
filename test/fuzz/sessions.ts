import type { Random } from './generate';

/**
 * The fuzz's sessions. Each caller logs in once and keeps its token for the
 * whole run, so a route that ends a session (logout, a password change, which
 * ends every token of its user) must never be called with it: those run on a
 * fresh login of a spare demo account, whose password the fuzz follows when a
 * valid change succeeds. Spare accounts also take the lockout that wrong
 * current passwords earn, spread over several of them.
 */

/** Routes that end the token they are called with (or all of the user's). */
export const SESSION_ENDING = new Set(['POST /auth/logout', 'POST /auth/password']);

const LOGIN = 'POST /auth/login';

/**
 * A login that did not answer as a login does: a 5xx, no answer within the
 * request timeout (a hang), or a network error. It fails the run like any
 * request's; only a 4xx refusal (a locked spare) is an answer.
 */
export class LoginFailure extends Error {
  constructor(
    readonly kind: 'HANG' | 'NETWORK ERROR' | '5xx',
    readonly detail: string,
  ) {
    super(`${kind === '5xx' ? detail : `${kind} ${LOGIN}: ${detail}`}`);
  }
}

export class Sessions {
  private readonly tokens = new Map<string, string>();
  private readonly passwords = new Map<string, string>();
  private next = 0;

  constructor(
    private readonly base: string,
    password: string,
    private readonly spares: readonly string[],
    private readonly timeoutMs: number,
  ) {
    for (const username of spares) this.passwords.set(username, password);
  }

  /** Logs `username` in: the token, or null when the login is refused with a 4xx (a locked spare); throws a LoginFailure otherwise. */
  async login(username: string, password: string): Promise<string | null> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new LoginFailure(timedOut ? 'HANG' : 'NETWORK ERROR', `as ${username}: ${describeError(error)}`);
    }
    if (response.ok) return (JSON.parse(text) as { token: string }).token;
    if (response.status >= 400 && response.status < 500) return null;
    throw new LoginFailure('5xx', `${response.status} ${LOGIN} as ${username}\n    answer: ${text.slice(0, 300)}`);
  }

  /** Logs a caller in for the run. */
  async keep(username: string, password: string): Promise<void> {
    const token = await this.login(username, password);
    if (token === null) throw new Error(`login as ${username} refused`);
    this.tokens.set(username, token);
  }

  tokenOf(username: string | null): string | undefined {
    return username === null ? undefined : this.tokens.get(username);
  }

  /** A fresh session of the next spare account that still logs in. */
  async spare(): Promise<{ username: string; password: string; token: string } | null> {
    for (let tries = 0; tries < this.spares.length; tries += 1) {
      const username = this.spares[this.next++ % this.spares.length]!;
      const password = this.passwords.get(username)!;
      const token = await this.login(username, password);
      if (token !== null) return { username, password, token };
    }
    return null;
  }

  /** A spare account with its password, for a login that should succeed. */
  private spareAccount(random: Random): { username: string; password: string } {
    const username = this.spares[Math.floor(random() * this.spares.length)]!;
    return { username, password: this.passwords.get(username)! };
  }

  /** The valid body of a route these sessions answer for: a login that should succeed, a password change that should; undefined for any other. */
  validBody(route: string, random: Random, spare: { username: string; password: string } | null): { username: string; password: string } | { current_password: string; new_password: string } | undefined {
    if (route === 'POST /auth/login') return this.spareAccount(random);
    if (route === 'POST /auth/password' && spare !== null) return { current_password: spare.password, new_password: `Fuzz ${Math.floor(random() * 1e9)} mật khẩu mới` };
    return undefined;
  }

  passwordChanged(username: string, password: string): void {
    this.passwords.set(username, password);
  }
}

/** An error with its cause: fetch's "fetch failed" says nothing without the socket error under it. */
export function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? ` (${String(error.cause)})` : '';
  return `${String(error)}${cause}`;
}

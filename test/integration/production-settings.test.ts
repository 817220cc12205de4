import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { hashPassword } from '../../application/auth/passwords';
import { composeApi } from '../../server/compose';
import { createUserRepository } from '../../db/repositories/users';
import { ConfigError, loadConfig } from '../../runtime/config';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * What the README promises of NODE_ENV=production, JWT_SECRET, CORS_ORIGINS and
 * the login rate limit, checked from the environment variables through
 * loadConfig and composeApi to the answers of the real app on a real database.
 */
const SECRET = 'a-production-secret-of-at-least-32-characters';
const ALLOWED_ORIGIN = 'https://cchc.hanoi.gov.vn';
const PASSWORD = 'MatKhau@2019';

let database: TestDatabase;
let connection: Connection;
const apps: FastifyInstance[] = [];

/** The API as its entrypoint builds it from these environment variables. */
async function appFor(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({ DATABASE_URL: database.url, ...env });
  const app = await composeApi({ db: database.db, temporal: new Client({ connection }), taskQueue: 'unused', logger: false, settings: config });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  database = await createTestDatabase();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  await createUserRepository(database.db).insertMissing(
    await Promise.all(
      ['prod.admin', 'prod.other'].map(async (username) => ({
        username,
        passwordHash: await hashPassword(PASSWORD),
        role: 'admin' as const,
        unitCode: 'SNV',
        displayName: 'Quản trị',
      })),
    ),
  );
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await connection?.close();
  await database?.destroy();
});

describe('in production', () => {
  it('the API refuses to start without a JWT_SECRET of at least 32 characters, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET })).toMatchObject({ JWT_SECRET: SECRET, warnings: [] });
    // Outside production the development key stands in, with a warning that says so.
    expect(loadConfig({}).warnings).toEqual([expect.stringContaining('JWT_SECRET is unset')]);
  });

  it('the session cookie is Secure, and outside production it is not (the dashboard runs on plain http://127.0.0.1)', async () => {
    const login = async (env: Record<string, string>) =>
      (await (await appFor(env)).inject({ method: 'POST', url: '/auth/login', payload: { username: 'prod.admin', password: PASSWORD } })).cookies.find(
        (cookie) => cookie.name === 'par_session',
      );
    const production = await login({ NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(production).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    const development = await login({ NODE_ENV: 'development', JWT_SECRET: SECRET });
    expect(development).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(development!.secure).toBeFalsy();

    // Logging out clears the cookie with the same attributes, or a browser would keep the Secure one.
    const app = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET });
    const logout = await app.inject({ method: 'POST', url: '/auth/logout', headers: { origin: 'http://localhost:80' }, cookies: { par_session: 'x' } });
    expect(logout.cookies.find((cookie) => cookie.name === 'par_session')).toMatchObject({ value: '', secure: true });
  });
});

describe('CORS_ORIGINS', () => {
  it('lets the listed origins call the API from a browser, with credentials, and no other origin', async () => {
    const app = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, CORS_ORIGINS: `${ALLOWED_ORIGIN}, https://other.example.vn` });
    const preflight = (origin: string) =>
      app.inject({ method: 'OPTIONS', url: '/auth/login', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': ALLOWED_ORIGIN, 'access-control-allow-credentials': 'true' });
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');
    expect((await preflight('https://other.example.vn')).headers['access-control-allow-origin']).toBe('https://other.example.vn');

    const stranger = await preflight('https://evil.example.com');
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const strangerGet = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example.com' } });
    expect(strangerGet.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.inject({ method: 'GET', url: '/health', headers: { origin: ALLOWED_ORIGIN } });
    expect(get.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(String(get.headers['access-control-expose-headers'])).toContain('x-request-id');
  });

  it('empty by default: same origin only, no browser from elsewhere is let in', async () => {
    const app = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET });
    const preflight = await app.inject({ method: 'OPTIONS', url: '/auth/login', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.inject({ method: 'GET', url: '/health', headers: { origin: ALLOWED_ORIGIN } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a value that is not a list of URLs stops the process with the variable named', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'cchc.hanoi.gov.vn' })).toThrow(/CORS_ORIGINS/);
  });
});

describe('the login rate limit', () => {
  it('answers 429 in both languages from the 11th attempt in a minute for one IP and username, while another username still logs in', async () => {
    // RATE_LIMIT_MAX high: what stops the attempts is the login's own limit, not the global one.
    const app = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, RATE_LIMIT_MAX: '1000' });
    const attempt = (username: string, password: string, ip = '203.0.113.7') =>
      app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: ip });
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) answers.push((await attempt('prod.admin', 'sai mật khẩu')).statusCode);
    expect(answers).toEqual(Array(10).fill(401));

    // The right password does not get through either once the limit is reached: guessing is what it stops.
    const limited = await attempt('PROD.Admin ', PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message_vi: expect.stringContaining('Quá nhiều yêu cầu'), message_en: expect.stringContaining('Too many requests') });
    expect(limited.headers['retry-after']).toBeDefined();

    expect((await attempt('prod.other', PASSWORD)).statusCode).toBe(200);
    // From another IP the limit no longer applies, but ten failures in a row locked the account itself.
    const elsewhere = await attempt('prod.admin', PASSWORD, '198.51.100.9');
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json()).toMatchObject({ error: 'invalid_credentials' });
  });

  it('RATE_LIMIT_MAX limits every route per client IP, and /health is exempt', async () => {
    const app = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, RATE_LIMIT_MAX: '3' });
    const get = (url: string, ip = '203.0.113.8') => app.inject({ method: 'GET', url, remoteAddress: ip });
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await get('/docs/json')).statusCode);
    expect(answers).toEqual([200, 200, 200, 429]);
    expect((await get('/docs/json', '198.51.100.10')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get('/health')).statusCode).toBe(200);
  });

  it('TRUST_PROXY makes the limit key on the client behind the proxy, not on the proxy', async () => {
    const viaProxy = (app: Awaited<ReturnType<typeof appFor>>, client: string) =>
      app.inject({ method: 'GET', url: '/docs/json', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': client } });
    const trusting = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, RATE_LIMIT_MAX: '2', TRUST_PROXY: '1' });
    const trusted: number[] = [];
    for (const client of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']) trusted.push((await viaProxy(trusting, client)).statusCode);
    expect(trusted).toEqual([200, 200, 429, 200]);
    const unset = await appFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, RATE_LIMIT_MAX: '2' });
    const shared: number[] = [];
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) shared.push((await viaProxy(unset, client)).statusCode);
    expect(shared).toEqual([200, 200, 429]);
  });
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { hashPassword } from '../../../application/auth/passwords';
import { createUserRepository } from '../../../db/repositories/users';
import { DEMO_PASSWORD, demoUsers } from '../../../seed/users';
import type { TestStack } from './stack';

/**
 * Headless Chromium from Debian's `chromium` package, driven by playwright-core
 * (no browser download), for the dashboard tests. Each person gets a browser
 * with its own profile, so its own session cookie. Screenshots go to
 * test/.artifacts/<folder>/ (gitignored).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function createBrowsers(baseUrl: () => string, folder: string) {
  const shots = resolve(import.meta.dirname, '../../.artifacts', folder);
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  mkdirSync(shots, { recursive: true });

  return {
    contexts,

    /** A fresh browser for one person. */
    async open(): Promise<Page> {
      const profile = mkdtempSync(join(tmpdir(), 'par-chromium-'));
      profiles.push(profile);
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1280, height: 900 },
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
      });
      contexts.push(context);
      return context.pages()[0] ?? (await context.newPage());
    },

    /** Opens the dashboard signed out, lands on the login page and submits the form. */
    async logIn(page: Page, username: string, password = DEMO_PASSWORD) {
      await page.goto(`${baseUrl()}/dashboard`);
      await page.waitForURL(/\/dashboard\/login/);
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('#login-form button[type=submit]');
    },

    async shot(page: Page, name: string) {
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    },

    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The demo accounts a browser test logs in with (seed/users.ts, the one demo password), and the app on a free port; answers its base URL. */
export async function serveWithDemoUsers(stack: TestStack, usernames: string[]): Promise<string> {
  const wanted = demoUsers().filter((user) => usernames.includes(user.username));
  await createUserRepository(stack.database.db).insertMissing(
    await Promise.all(wanted.map(async (user) => ({ ...user, passwordHash: await hashPassword(DEMO_PASSWORD) }))),
  );
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
}

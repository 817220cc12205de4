import { parseArgs } from 'node:util';
import { AppError } from '../application/errors';
import { DEFAULT_ONE_TIME_TTL_HOURS } from '../application/auth/one-time';
import { usernameSchema } from '../api/routes/accounts';
import { createAccountService } from '../application/services/accounts';
import { createAccountRepository } from '../db/repositories/accounts';
import { createOrganisationRepository } from '../db/repositories/organisations';
import { openDatabase } from '../db/connect';
import { toVietnamIso } from '../domain/deadlines';
import { loadConfig } from '../runtime/config';

/**
 * `npm run admin:create -- --username snv.admin --name "Nguyễn Văn A" [--email …] [--unit SNV]`:
 * the first Sở Nội vụ administrator of a fresh install, before anyone can log in. It applies the
 * migrations first (as `npm run db:migrate`: a no-op on an up-to-date database), creates the
 * account with a one-time password, prints that password once, and stores only its hash. The
 * first login with it must change it. An existing username is refused (exit 1), never changed.
 */

const USAGE = 'npm run admin:create -- --username <tên đăng nhập> --name "<họ tên>" [--email <thư điện tử>] [--unit <mã đơn vị, vd. SNV>]';

function fail(vi: string, en: string): never {
  process.stderr.write(`${vi}\n${en}\n`);
  process.exit(1);
}

const { values } = parseArgs({
  options: { username: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, unit: { type: 'string' } },
  strict: true,
});
if (!values.username || !values.name?.trim()) fail(`Thiếu --username hoặc --name. Cách dùng: ${USAGE}`, `--username and --name are required. Usage: ${USAGE}`);
const username = usernameSchema.safeParse(values.username);
if (!username.success) fail(`Tên đăng nhập không hợp lệ: ${values.username}`, `Invalid username: ${values.username} (${username.error.issues[0]?.message})`);

const config = loadConfig();
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await database.migrate();
  const service = createAccountService({
    accounts: createAccountRepository(database.db),
    organisations: createOrganisationRepository(database.db),
    now: () => Date.now(),
    oneTimeTtlHours: config.ONE_TIME_PASSWORD_TTL_HOURS ?? DEFAULT_ONE_TIME_TTL_HOURS,
  });
  const issued = await service.createAs('system', {
    username: username.data,
    displayName: values.name.trim(),
    email: values.email?.trim().toLowerCase() || null,
    role: 'admin',
    unitCode: values.unit?.trim() || null,
    // A fresh install's directory is empty: the admin imports it afterwards.
    organisationCode: null,
  });
  process.stdout.write(
    [
      `Đã tạo tài khoản quản trị ${issued.account.username} / Created administrator ${issued.account.username}`,
      `Mật khẩu dùng một lần / One-time password: ${issued.oneTimePassword}`,
      `Hết hạn / Expires: ${toVietnamIso(issued.expiresAt.getTime())}`,
      'Mật khẩu này chỉ hiện một lần; lần đăng nhập đầu tiên phải đổi mật khẩu. / Shown this once; the first login must change it.',
      '',
    ].join('\n'),
  );
} catch (error) {
  if (error instanceof AppError) fail(error.messageVi, error.messageEn);
  throw error;
} finally {
  await database.close();
}

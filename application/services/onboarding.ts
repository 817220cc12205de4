import type { Actor } from '../../domain/actors';
import { toVietnamIso } from '../../domain/deadlines';
import type { OnboardingRepository, PreparedCredential } from '../../db/repositories/onboarding';
import type { AccountRow, OnboardingIssue, OnboardingPlan } from '../../domain/onboarding';
import { readOnboardingWorkbook } from '../../formats/onboarding-import';
import { writeCredentialsWorkbook, writeOnboardingWorkbook } from '../../formats/onboarding-workbook';
import { authorize } from '../auth/authorize';
import { generateOneTimePassword, hashOneTimePassword } from '../auth/one-time';
import { ValidationError } from '../errors';
import { planOnboarding } from '../../formats/onboarding-plan';

/**
 * Bulk onboarding from one workbook (formats/onboarding-layout.ts): the
 * organisations, the province's assessed units and their groups, and the
 * accounts. Everything is checked first and every problem reported at its
 * sheet, row and column; then it is stored in one transaction or not at all.
 * The same workbook again changes nothing; a changed one adds and updates,
 * and what it leaves out is reported, never disabled. New accounts' one-time
 * passwords come back once, in a workbook for Sở Nội vụ to hand out; only
 * their hashes are stored.
 */

export interface OnboardingServiceDeps {
  onboarding: OnboardingRepository;
  now: () => number;
  oneTimeTtlHours: number;
}

export interface OnboardingOutcome {
  plan: OnboardingPlan;
  /** The credentials workbook, when accounts were created; made once, here. */
  credentials: { fileName: string; bytes: Uint8Array; count: number } | null;
}

function refused(issues: readonly OnboardingIssue[]): ValidationError {
  return new ValidationError(
    issues.map((found) => ({
      path: [found.sheet, ...(found.row === undefined ? [] : [found.row]), ...(found.column === undefined ? [] : [found.column])],
      code: found.code,
      message_vi: found.message_vi,
      message_en: found.message_en,
    })),
    `Tệp có ${issues.length} lỗi; chưa lưu gì`,
    `The workbook has ${issues.length} problem(s); nothing was stored`,
  );
}

export function createOnboardingService({ onboarding, now, oneTimeTtlHours }: OnboardingServiceDeps) {
  async function prepare(rows: readonly AccountRow[], expiresAt: Date, into: { hashed: Map<string, PreparedCredential>; clear: Map<string, string> }) {
    await Promise.all(
      rows
        .filter((row) => !into.hashed.has(row.username))
        .map(async (row) => {
          const password = generateOneTimePassword();
          into.clear.set(row.username, password);
          into.hashed.set(row.username, { hash: await hashOneTimePassword(password), expiresAt });
        }),
    );
  }

  return {
    template: () => writeOnboardingWorkbook(),

    async importWorkbook(actor: Actor, bytes: Uint8Array): Promise<OnboardingOutcome> {
      authorize(actor, 'onboarding.import');
      const read = await readOnboardingWorkbook(bytes);
      if (!read.ok) throw refused(read.issues);
      // Hashing a few hundred one-time passwords takes seconds: done before the transaction, from a
      // plan made outside it; the plan made again inside it decides, and hashes any account it adds.
      const ahead = planOnboarding(read.rows, await onboarding.state());
      if (!ahead.ok) throw refused(ahead.issues);
      const at = new Date(now());
      const expiresAt = new Date(at.getTime() + oneTimeTtlHours * 3_600_000);
      const prepared = { hashed: new Map<string, PreparedCredential>(), clear: new Map<string, string>() };
      await prepare(ahead.plan.accounts.create, expiresAt, prepared);

      const plan = await onboarding.inImport(async ({ state, apply }) => {
        const planned = planOnboarding(read.rows, state);
        if (!planned.ok) throw refused(planned.issues);
        await prepare(planned.plan.accounts.create, expiresAt, prepared);
        await apply(actor.id, planned.plan, prepared.hashed, at);
        return planned.plan;
      });

      const created = plan.accounts.create;
      if (created.length === 0) return { plan, credentials: null };
      const bytesOut = await writeCredentialsWorkbook(
        created.map((row) => ({
          username: row.username,
          full_name: row.full_name,
          belongs_to: row.unit_code ?? row.organisation_code,
          one_time_password: prepared.clear.get(row.username)!,
          expires_at: toVietnamIso(expiresAt.getTime()),
        })),
      );
      const stamp = toVietnamIso(at.getTime()).slice(0, 16).replace(/[-:T]/g, '');
      return { plan, credentials: { fileName: `mat-khau-mot-lan-${stamp}.xlsx`, bytes: bytesOut, count: created.length } };
    },

    async listUnits(actor: Actor, filter: { groupCode?: string }) {
      authorize(actor, 'units.read');
      return onboarding.listUnits(filter);
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;

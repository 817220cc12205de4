import { actorLabel } from '../../domain/actor-label';
import type { Actor } from '../../domain/actors';
import type { ParkedChangeRepository, ParkedChangeRow, ParkedState, RetryOutcome } from '../../db/repositories/read-model-parking';
import { authorize } from '../auth/authorize';
import { ConflictError, NotFoundError } from '../errors';

export interface ParkedChangeServiceDeps {
  parked: Pick<ParkedChangeRepository, 'listParked' | 'retryParked' | 'countParked'>;
  now: () => number;
}

/** Why the database refused a change, in words an administrator reads (SQLSTATE classes 22 and 23 first). */
const REASON_BY_STATE: Record<string, { vi: string; en: string }> = {
  '22021': { vi: 'Nội dung chứa ký tự không được phép (ký tự điều khiển)', en: 'The text holds a character the database does not accept (a control character)' },
  '22P05': { vi: 'Nội dung chứa ký tự không được phép (ký tự điều khiển)', en: 'The text holds a character the database does not accept (a control character)' },
  '22001': { vi: 'Một nội dung dài quá giới hạn cho phép', en: 'A text is longer than the database allows' },
  '22003': { vi: 'Một con số vượt quá giới hạn cho phép', en: 'A number is out of the range the database allows' },
  '23502': { vi: 'Thiếu một thông tin bắt buộc', en: 'A required value is missing' },
  '23503': { vi: 'Thay đổi nhắc đến một mục không tồn tại', en: 'The change refers to something that does not exist' },
  '23505': { vi: 'Thay đổi trùng với dữ liệu đã có', en: 'The change duplicates data already recorded' },
  '23514': { vi: 'Thay đổi vi phạm một quy tắc kiểm tra của cơ sở dữ liệu', en: 'The change breaks one of the database’s checks' },
};
const REASON_BY_CLASS: Record<string, { vi: string; en: string }> = {
  '22': { vi: 'Thay đổi chứa một giá trị không hợp lệ', en: 'The change holds a value the database does not accept' },
  '23': { vi: 'Thay đổi vi phạm ràng buộc dữ liệu', en: 'The change breaks a data constraint' },
};
const OTHER_REASON = { vi: 'Cơ sở dữ liệu từ chối ghi thay đổi', en: 'The database refused the change' };

export function refusalInWords(errorCode: string | null): { vi: string; en: string } {
  if (errorCode === null) return OTHER_REASON;
  return REASON_BY_STATE[errorCode] ?? REASON_BY_CLASS[errorCode.slice(0, 2)] ?? OTHER_REASON;
}

export type ParkedChangeView = ParkedChangeRow & { reasonVi: string; reasonEn: string };

/**
 * Sở Nội vụ's view of the changes the read model refused (parked by the
 * projection), and the operator's retry after a fix. The workflows already
 * hold these steps; only their record in the read model is missing.
 */
export function createParkedChangeService({ parked, now }: ParkedChangeServiceDeps) {
  return {
    async list(actor: Actor, state: ParkedState = 'parked'): Promise<ParkedChangeView[]> {
      authorize(actor, 'projection.repair');
      const rows = await parked.listParked(state);
      return rows.map((row) => {
        const reason = refusalInWords(row.errorCode);
        return { ...row, reasonVi: reason.vi, reasonEn: reason.en };
      });
    },

    async count(actor: Actor): Promise<number> {
      authorize(actor, 'projection.repair');
      return parked.countParked();
    },

    /** Applies one parked change; refused again, a 409 says why and the change stays parked. */
    async retry(actor: Actor, id: number): Promise<Exclude<RetryOutcome, { outcome: 'still_failing' }>> {
      authorize(actor, 'projection.repair');
      const result = await parked.retryParked(id, actorLabel(actor), new Date(now()));
      if (result === null) {
        throw new NotFoundError('parked_change_not_found', `Không có thay đổi chờ ghi số ${id}`, `No parked change ${id}`);
      }
      if (result.outcome === 'still_failing') {
        const reason = refusalInWords(result.errorCode);
        throw new ConflictError(
          'still_failing',
          `Vẫn chưa ghi được thay đổi: ${reason.vi}. Hãy khắc phục nguyên nhân rồi thử lại`,
          `The change still cannot be recorded: ${reason.en}. Fix the cause, then retry`,
        );
      }
      return result;
    },
  };
}

export type ParkedChangeService = ReturnType<typeof createParkedChangeService>;

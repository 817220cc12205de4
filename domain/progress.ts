/**
 * What a coordinator asks of each unit: where it stands on what it owes in its
 * current stage. Derived from the unit workflow's stage and status (units.ts);
 * db/repositories/progress.ts computes it in SQL:
 *
 *   done         status done (appraised, published, or closed without a submission)
 *   overdue      status overdue: the deadline of the stage passed and it is still owed
 *   late         the self-assessment came in after the deadline (flag submitted_late), waiting on round 1
 *   submitted    the unit's part is in and it waits on the appraisers (also a unit returned by the council)
 *   draft        the unit has begun but not finished: a saved self-assessment draft (db/schema-drafts.ts),
 *                or some, not all, explanation requests answered
 *   not_started  the step is open and the unit has done nothing in it yet (or the unit is not opened yet)
 */
export const PROGRESS_STATUSES = ['not_started', 'draft', 'submitted', 'late', 'overdue', 'done'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const PROGRESS_STATUS_LABEL_VI: Record<ProgressStatus, string> = {
  not_started: 'Chưa bắt đầu',
  draft: 'Đang làm dở',
  submitted: 'Đã nộp',
  late: 'Nộp muộn',
  overdue: 'Quá hạn',
  done: 'Hoàn thành',
};

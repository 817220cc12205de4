import type { CampaignUnit } from '../../domain/campaign';
import { parseDeadline } from '../../domain/deadlines';
import type { FrameworkGroup } from '../../domain/framework';
import type { ReminderPolicy } from '../../domain/reminders';
import type { Centi } from '../../domain/scoring/points';
import type { UnitFlag, UnitStage, UnitStatus } from '../../domain/units';
import type { ExplanationRequestState, UnitTimerKey } from '../../contracts/messages';
import type { ReminderTrackState } from '../reminders';

export interface UnitWorkflowInput {
  campaignId: string;
  year: number;
  unit: CampaignUnit;
  group: FrameworkGroup;
  /** Area code → contributor unit codes that appraise it. */
  areaOwners: Record<string, string[]>;
  /** Campaign-wide deadlines as ISO instants. */
  deadlines: Record<UnitTimerKey, string>;
  /**
   * Set when the campaign's opening activity started this unit: the campaign
   * already projected this unit's `unit_opened` change (seq 1, a batch of units
   * in one transaction) and the start set its search attributes. Absent in runs
   * the campaign started as child workflows: the unit sets them and projects its
   * own opening.
   */
  openedByCampaign?: boolean;
  /**
   * The reminder policy in force when the campaign's opening activity started
   * this unit: the first reminder plan uses it, so the unit's first workflow task
   * reads nothing. Absent in runs started as child workflows (they read it, as
   * every later re-plan does); dropped at continue-as-new, so a continued run
   * reads the policy in force then.
   */
  reminderPolicy?: ReminderPolicy;
  /**
   * Set by the campaign's opening activity on every unit it starts: the unit's
   * first workflow task arms one timer and rests until its first reminder or
   * deadline (unit/rest.ts). Decided by the input and not by patched(), whose
   * marker and search-attribute upsert in that first task would cost the
   * server more than the timer it saves (`npm run bench:patches`): runs started
   * without it replay as recorded. The price: an old worker ignores the flag, so
   * two worker versions must never poll at once (deploy/README.md).
   */
  restsUntilDue?: boolean;
  /** Carried across continue-as-new. */
  resume?: UnitState;
}

export interface UnitState {
  stage: UnitStage;
  status: UnitStatus;
  flags: UnitFlag[];
  campaignDeadlines: Record<UnitTimerKey, number>;
  extensions: Partial<Record<UnitTimerKey, number>>;
  seenChangeIds: string[];
  submittedAt: string | null;
  self: Record<string, Centi>;
  round1: Record<string, Centi>;
  round2: Record<string, Centi>;
  appraised: { round1: string[]; round2: string[] };
  round2Areas: string[];
  requests: ExplanationRequestState[];
  pass: number;
  publishedDecision: string | null;
  /** A council return not yet acted on (kept in state so continue-as-new cannot lose it). */
  reopening: { pass: number; areas: string[]; reason: string } | null;
  seq: number;
  /** Reminder bookkeeping; absent in runs that do not take reminders-v1. */
  reminders?: ReminderTrackState;
}

export function initialUnitState(input: UnitWorkflowInput): UnitState {
  const campaignDeadlines = Object.fromEntries(
    Object.entries(input.deadlines).map(([key, text]) => [key, parseDeadline(text) ?? 0]),
  ) as Record<UnitTimerKey, number>;
  return {
    stage: 'self_assessment',
    status: 'pending',
    flags: [],
    campaignDeadlines,
    extensions: {},
    seenChangeIds: [],
    submittedAt: null,
    self: {},
    round1: {},
    round2: {},
    appraised: { round1: [], round2: [] },
    round2Areas: [],
    requests: [],
    pass: 1,
    publishedDecision: null,
    reopening: null,
    seq: input.openedByCampaign ? 1 : 0,
  };
}

/**
 * The changes made to the unit workflow while runs of it were open, each a
 * patch ID passed to patched() (a contract with those runs' histories: never
 * renamed).
 */
export type UnitChange = 'reminders-v1' | 'reminders-v2' | 'submission-one-projection' | 'council-return-waits-for-round-2';
/** Whether this run takes a change: patched() in unitWorkflow, always in unitWorkflowV2. */
export type TakesChange = (change: UnitChange) => boolean;

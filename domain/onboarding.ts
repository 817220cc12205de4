import type { Role } from './actors';
import type { OrganisationKind } from './organisations';

/**
 * The shapes of an onboarding import: the rows a workbook gives (formats/
 * onboarding-import.ts reads them), what is stored now, and the plan that
 * compares the two (formats/onboarding-plan.ts makes it, db/ applies it). Here,
 * under both, so the repository that applies a plan does not reach into the
 * Excel formats.
 */

/** A problem in the onboarding workbook, at its sheet, and row and column where they can be told. */
export interface OnboardingIssue {
  readonly sheet: string;
  readonly row: number | undefined;
  readonly column: string | undefined;
  readonly code: string;
  readonly message_vi: string;
  readonly message_en: string;
}

export interface OrganisationRow {
  code: string;
  name_vi: string;
  kind: OrganisationKind;
}
export interface UnitRow {
  code: string;
  name_vi: string;
  group_code: string;
  group_name_vi: string;
}
export interface AccountRow {
  username: string;
  full_name: string;
  email: string | null;
  unit_code: string | null;
  organisation_code: string | null;
  role: Role;
}

/** A row's values and the row number it was read from (1-based, as Excel shows it). */
export interface Placed<T> {
  readonly row: number;
  readonly value: T;
}

export interface OnboardingRows {
  organisations: Placed<OrganisationRow>[];
  units: Placed<UnitRow>[];
  accounts: Placed<AccountRow>[];
}

/** What is stored now, as the plan compares it with the workbook. */
export interface OnboardingState {
  groups: ReadonlyMap<string, string>;
  units: ReadonlyMap<string, { name_vi: string; group_code: string }>;
  organisations: ReadonlyMap<string, { name_vi: string; kind: OrganisationKind; disabled: boolean }>;
  accounts: ReadonlyMap<string, { full_name: string; email: string | null; unit_code: string | null; organisation_code: string | null; role: Role; active: boolean }>;
  /** Lowercase e-mail → the account that has it. */
  emailOwners: ReadonlyMap<string, string>;
}

export interface Changes<T> {
  create: T[];
  update: T[];
  unchanged: number;
  /** Stored, but not in the workbook: reported, never disabled or removed. */
  absent: string[];
}

export interface OnboardingPlan {
  groups: { create: { code: string; name_vi: string }[]; update: { code: string; name_vi: string }[] };
  organisations: Changes<OrganisationRow>;
  units: Changes<UnitRow>;
  accounts: Changes<AccountRow> & {
    /** Listed in the workbook but disabled here: they stay disabled (enabling is the accounts page's decision). */
    disabledListed: string[];
  };
}

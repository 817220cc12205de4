/**
 * The organisation directory's vocabulary (db/schema-organisations.ts): what
 * kind of body an organisation is, and how a Vietnamese reader calls it.
 */
export const ORGANISATION_KINDS = ['department', 'survey_institute', 'appraisal_council', 'home_affairs', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ORGANISATION_KIND_LABEL_VI: Record<OrganisationKind, string> = {
  department: 'Sở, ban, ngành',
  survey_institute: 'Cơ quan điều tra xã hội học',
  appraisal_council: 'Hội đồng thẩm định',
  home_affairs: 'Sở Nội vụ',
  other: 'Cơ quan khác',
};

/** An organisation as the directory holds it. */
export interface Organisation {
  code: string;
  nameVi: string;
  kind: OrganisationKind;
  disabled: boolean;
}

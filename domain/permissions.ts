import type { Role } from './actors';

/**
 * Who may do what, as data: the API checks a route's permission
 * before it reads the body (http/auth/plugin.ts) and the services check it again
 * with the scope (application/auth/authorize.ts). The workflow validators stay the last
 * word for what needs the workflow's state (the area's owner, the stage).
 *
 * `roles` may always act; `afterPublication` may once the campaign's results
 * are published. Scope beyond the role (a unit's own data, a contributor's
 * areas) is in application/auth/authorize.ts.
 */
export interface PermissionRule {
  roles: readonly Role[];
  afterPublication?: readonly Role[];
  /**
   * Once published, also a caller without a login, read as the public role
   * (api/actor.ts resolveReader); before, the refusal is the rule's own sentence.
   */
  withoutLoginAfterPublication?: true;
  /** The refusal, in both languages. */
  vi: string;
  en: string;
}

const EVERY_SIGNED_IN: readonly Role[] = ['admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public'];
const STAFF: readonly Role[] = ['admin', 'coordinator', 'contributor', 'institute', 'council'];
const STAFF_AND_UNITS: readonly Role[] = [...STAFF, 'unit'];

export const PERMISSIONS = {
  'campaign.create': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ tạo đợt đánh giá', en: 'Only Sở Nội vụ creates a campaign' },
  /** Public users see published campaigns only (the list is filtered, a detail is refused). */
  'campaign.list': { roles: EVERY_SIGNED_IN, vi: 'Bạn không xem được danh sách đợt đánh giá', en: 'You may not list campaigns' },
  /** A public user reads a campaign once its results are published (application/auth/authorize.ts assertCanRead). */
  'campaign.read': { roles: STAFF_AND_UNITS, afterPublication: ['public'], vi: 'Bạn không xem được đợt đánh giá này', en: 'You may not read this campaign' },
  /** The live progress names other units (council returns), so a unit reads it after publication. */
  'campaign.progress': {
    roles: STAFF,
    afterPublication: ['unit', 'public'],
    vi: 'Bạn không xem được tiến độ chung của đợt đánh giá',
    en: 'You may not read the campaign’s progress',
  },
  'campaign.events': { roles: ['admin', 'coordinator'], vi: 'Chỉ Sở Nội vụ và điều phối viên xem nhật ký', en: 'Only Sở Nội vụ and coordinators read the event log' },
  'guidance.submit': {
    roles: ['contributor', 'admin'],
    vi: 'Chỉ cơ quan được giao hướng dẫn (hoặc Sở Nội vụ) gửi hướng dẫn',
    en: 'Only a guidance contributor (or Sở Nội vụ) sends guidance',
  },
  'guidance.publish': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ công bố hướng dẫn', en: 'Only Sở Nội vụ publishes the guidance' },
  'kickoff.record': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ ghi nhận hội nghị triển khai', en: 'Only Sở Nội vụ records the kick-off conference' },
  'deadline.move': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ thay đổi thời hạn', en: 'Only Sở Nội vụ changes deadlines' },
  'council.decide': { roles: ['council'], vi: 'Chỉ Hội đồng thẩm định quyết định', en: 'Only the appraisal council decides' },
  'results.publish': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ công bố kết quả', en: 'Only Sở Nội vụ publishes the results' },
  'unit.self_assessment': { roles: ['unit'], vi: 'Chỉ đơn vị được đánh giá nộp báo cáo tự đánh giá', en: 'Only the assessed unit submits its self-assessment' },
  /** A self-assessment draft is the unit's working copy (application/services/drafts.ts): the unit, and Sở Nội vụ who supports it. */
  'unit.draft_read': { roles: ['unit', 'admin'], vi: 'Chỉ đơn vị (và Sở Nội vụ) xem bản nháp tự đánh giá', en: 'Only the unit (and Sở Nội vụ) read its self-assessment draft' },
  'unit.appraise': {
    roles: ['contributor', 'admin'],
    vi: 'Chỉ cơ quan phụ trách lĩnh vực (hoặc Sở Nội vụ) thẩm định',
    en: 'Only the area’s owner department (or Sở Nội vụ) appraises',
  },
  'unit.explain': { roles: ['unit'], vi: 'Chỉ đơn vị được đánh giá trả lời giải trình', en: 'Only the assessed unit answers an explanation request' },
  /** A unit reads only its own progress until publication (application/auth/authorize.ts assertCanRead). */
  'unit.read': {
    roles: ['admin', 'coordinator', 'contributor', 'institute', 'council', 'unit'],
    afterPublication: ['public'],
    vi: 'Bạn không xem được dữ liệu của đơn vị này',
    en: 'You may not read this unit’s data',
  },
  /** Evidence files: the unit uploads its own (application/auth/authorize.ts assertOwnUnit), Sở Nội vụ for any unit. */
  'evidence.upload': { roles: ['unit', 'admin'], vi: 'Chỉ đơn vị được đánh giá (hoặc Sở Nội vụ) tải lên tài liệu kiểm chứng', en: 'Only the assessed unit (or Sở Nội vụ) uploads evidence' },
  /** Read like the unit's data it supports: a unit reads only its own until publication (assertCanRead). */
  'evidence.read': {
    roles: ['admin', 'coordinator', 'contributor', 'institute', 'council', 'unit'],
    afterPublication: ['public'],
    vi: 'Bạn không xem được tài liệu kiểm chứng của đơn vị này',
    en: 'You may not read this unit’s evidence',
  },
  'survey.plan': { roles: ['institute', 'admin'], vi: 'Chỉ Viện (hoặc Sở Nội vụ) nộp kế hoạch điều tra', en: 'Only the institute (or Sở Nội vụ) submits the survey plan' },
  'survey.review': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ duyệt kế hoạch điều tra', en: 'Only Sở Nội vụ reviews the survey plan' },
  'survey.fieldwork': {
    roles: ['institute', 'admin'],
    vi: 'Chỉ Viện (hoặc Sở Nội vụ) mở và kết thúc khảo sát',
    en: 'Only the institute (or Sở Nội vụ) opens and closes the fieldwork',
  },
  'survey.answers': { roles: ['institute', 'admin'], vi: 'Chỉ Viện (hoặc Sở Nội vụ) nhập phiếu khảo sát', en: 'Only the institute (or Sở Nội vụ) imports survey answers' },
  'survey.results': { roles: ['institute'], vi: 'Chỉ Viện nộp kết quả điều tra', en: 'Only the institute submits the survey results' },
  'survey.read': {
    roles: ['admin', 'coordinator', 'institute', 'council'],
    vi: 'Bạn không xem được tiến độ điều tra xã hội học',
    en: 'You may not read the survey’s progress',
  },
  /** Changes the read model refused (db/repositories/read-model-parking.ts): their data are any unit's, and applying one is an operator's repair. */
  'projection.repair': {
    roles: ['admin'],
    vi: 'Chỉ quản trị viên Sở Nội vụ xem và ghi lại các thay đổi chưa ghi được',
    en: 'Only a Sở Nội vụ administrator reads and retries the changes that could not be recorded',
  },
  /** The in-app inbox: a unit reads its own unit's, Sở Nội vụ and coordinators any (application/services/notifications.ts). */
  'inbox.read': { roles: ['admin', 'coordinator', 'unit'], vi: 'Bạn không có hộp thư thông báo', en: 'You have no notification inbox' },
  /** The reminder and delivery logs and the reminder policy name the units' and coordinators' contacts. */
  'reminders.read': {
    roles: ['admin', 'coordinator'],
    vi: 'Chỉ Sở Nội vụ và điều phối viên xem nhắc hạn và chính sách nhắc hạn',
    en: 'Only Sở Nội vụ and coordinators read the reminders and the reminder policy',
  },
  'reminders.policy_set': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ thay đổi chính sách nhắc hạn', en: 'Only Sở Nội vụ changes the reminder policy' },
  /** Contacts carry names and e-mail addresses: a unit reads only its own (application/services/contacts.ts). */
  'contacts.read': { roles: ['admin', 'coordinator', 'unit'], vi: 'Bạn không xem được danh bạ đơn vị', en: 'You may not read unit contacts' },
  'contacts.manage': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ (quản trị) được thay đổi danh bạ đơn vị', en: 'Only Sở Nội vụ administrators change unit contacts' },
  /** Accounts and their audit log: who may log in, as what, for which unit. */
  'accounts.manage': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ (quản trị) quản lý tài khoản', en: 'Only Sở Nội vụ administrators manage accounts' },
  /** The organisation directory (departments, the survey institute, the council, Sở Nội vụ): staff read it to name contributors and accounts. */
  'organisations.read': { roles: STAFF, vi: 'Bạn không xem được danh mục cơ quan', en: 'You may not read the organisation directory' },
  'organisations.manage': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ (quản trị) quản lý danh mục cơ quan', en: 'Only Sở Nội vụ administrators manage the organisation directory' },
  /** The onboarding workbook: organisations, the province's units and accounts, with new accounts' one-time passwords. */
  'onboarding.import': {
    roles: ['admin'],
    vi: 'Chỉ Sở Nội vụ (quản trị) nhập tổ chức, đơn vị và tài khoản',
    en: 'Only Sở Nội vụ administrators import organisations, units and accounts',
  },
  /** The province's assessed units, which a campaign's units are chosen from. */
  'units.read': { roles: ['admin', 'coordinator'], vi: 'Chỉ Sở Nội vụ và điều phối viên xem danh sách đơn vị của tỉnh', en: 'Only Sở Nội vụ and coordinators read the province’s units' },
  'framework.import': { roles: ['admin'], vi: 'Chỉ Sở Nội vụ nhập bộ tiêu chí', en: 'Only Sở Nội vụ imports a framework' },
  /** A framework is the published method of scoring: every signed-in user may read it. */
  'framework.read': { roles: EVERY_SIGNED_IN, vi: 'Bạn không xem được bộ tiêu chí', en: 'You may not read the framework' },
  /** The ranking before publication is for Sở Nội vụ, coordinators and the council; after it, for everyone, signed in or not. */
  'results.read': {
    roles: ['admin', 'coordinator', 'council'],
    afterPublication: ['contributor', 'unit', 'institute', 'public'],
    withoutLoginAfterPublication: true,
    vi: 'Kết quả chưa được công bố',
    en: 'The results are not published yet',
  },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a caller without a login may reach the permission's routes (the service then decides with the campaign's stage). */
export function opensWithoutLogin(permission: Permission): boolean {
  const rule: PermissionRule = PERMISSIONS[permission];
  return rule.withoutLoginAfterPublication === true;
}

/** Every role that may ever hold the permission (before or after publication): the route-level check. */
export function rolesEverAllowed(permission: Permission): readonly Role[] {
  const rule: PermissionRule = PERMISSIONS[permission];
  return [...rule.roles, ...(rule.afterPublication ?? [])];
}

/**
 * The refusal of a step a unit takes only for itself, sent by anyone else: the
 * API (application/auth/authorize.ts assertOwnUnit) and the unit workflow
 * (workflows/unit/guards.ts requireOwnUnit) say the same, so the answer does not
 * depend on which of them refuses first.
 */
export function ownUnitRefusal(unitCode: string, unitNameVi: string = unitCode): { vi: string; en: string } {
  return { vi: `Chỉ ${unitNameVi} được thực hiện bước này cho đơn vị mình`, en: `Only ${unitCode} may take this step for itself` };
}

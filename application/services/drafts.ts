import type { Actor } from '../../domain/actors';
import { actorLabel } from '../../domain/actors';
import type { SelfAssessmentDraft } from '../../domain/steps';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { DraftRepository, DraftRow } from '../../db/repositories/drafts';
import { assertOwnUnit, authorize } from '../auth/authorize';
import { ConflictError, unitNotFound } from '../errors';

/**
 * Self-assessment drafts: a unit saves its sheet as often as it
 * likes while its self-assessment is open; only the submission goes to the
 * unit workflow (application/services/steps.ts), which checks it against the framework.
 * A draft is the unit's working copy: the unit and Sở Nội vụ read it.
 */
export interface DraftServiceDeps {
  drafts: Pick<DraftRepository, 'save' | 'find'>;
  campaigns: Pick<CampaignRepository, 'findUnit'>;
  now: () => number;
}

type Target = { campaignId: string; unitCode: string };

export function createDraftService({ drafts, campaigns, now }: DraftServiceDeps) {
  async function unitOf({ campaignId, unitCode }: Target) {
    const unit = await campaigns.findUnit(campaignId, unitCode);
    if (!unit) throw unitNotFound(campaignId, unitCode);
    return unit;
  }

  return {
    async save(actor: Actor, target: Target, draft: SelfAssessmentDraft): Promise<DraftRow> {
      authorize(actor, 'unit.self_assessment');
      assertOwnUnit(actor, target.unitCode);
      const unit = await unitOf(target);
      // Open means: the unit is in self-assessment and has not submitted (an overdue unit may still get an extension).
      if (unit.stage !== 'self_assessment' || unit.status === 'submitted' || unit.status === 'done') {
        throw new ConflictError(
          'wrong_stage',
          'Báo cáo tự đánh giá đã nộp hoặc đã đóng; không lưu nháp được nữa',
          'The self-assessment is submitted or closed; a draft can no longer be saved',
        );
      }
      return drafts.save({ ...target, draft, savedBy: actorLabel(actor), savedAt: new Date(now()) });
    },

    /** The unit's draft, or null when it has saved none. */
    async find(actor: Actor, target: Target): Promise<DraftRow | null> {
      authorize(actor, 'unit.draft_read');
      assertOwnUnit(actor, target.unitCode);
      await unitOf(target);
      return drafts.find(target.campaignId, target.unitCode);
    },
  };
}

export type DraftService = ReturnType<typeof createDraftService>;

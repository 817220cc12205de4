import { storedEvidenceId, type CitedRef } from '../../domain/evidence-refs';
import { issue, type ValidationIssue } from '../../domain/issues';
import type { EvidenceRepository } from '../../db/repositories/evidence';
import { ValidationError } from '../errors';

export interface EvidenceCitationDeps {
  evidence: Pick<EvidenceRepository, 'findOwners'>;
}

/**
 * A step may cite only stored evidence of its own campaign, and a unit's step
 * only that unit's files: otherwise a unit could attach (and, once the results
 * are published, expose) another unit's or another campaign's file. Checked in
 * the API before the update reaches the workflow, with one query for all refs;
 * the workflow has no database to check against.
 */
export function createEvidenceCitations({ evidence }: EvidenceCitationDeps) {
  return {
    async assertCitable(target: { campaignId: string; unitCode?: string }, refs: CitedRef[]): Promise<void> {
      const cited = refs.map((item) => ({ ...item, id: storedEvidenceId(item.ref) })).filter((item) => item.id !== null);
      if (cited.length === 0) return;
      const ids = [...new Set(cited.map((item) => item.id).filter((id): id is string => id !== 'malformed'))];
      const owners = await evidence.findOwners(ids);
      const problems: ValidationIssue[] = [];
      for (const item of cited) {
        const owner = item.id === 'malformed' ? undefined : owners.get(item.id!);
        const belongs = owner !== undefined && owner.campaignId === target.campaignId && (target.unitCode === undefined || owner.unitCode === target.unitCode);
        if (belongs) continue;
        problems.push(
          issue(
            item.path,
            'evidence_not_citable',
            target.unitCode === undefined
              ? `Tài liệu kiểm chứng ${item.ref} không thuộc đợt đánh giá ${target.campaignId}`
              : `Tài liệu kiểm chứng ${item.ref} không phải tài liệu của ${target.unitCode} trong đợt đánh giá ${target.campaignId}`,
            target.unitCode === undefined
              ? `Evidence ${item.ref} is not a file of campaign ${target.campaignId}`
              : `Evidence ${item.ref} is not a file of ${target.unitCode} in campaign ${target.campaignId}`,
          ),
        );
      }
      if (problems.length > 0) {
        throw new ValidationError(problems, 'Chỉ trích dẫn được tài liệu kiểm chứng của chính đơn vị trong đợt này', 'Only the unit’s own evidence of this campaign may be cited');
      }
    },
  };
}

export type EvidenceCitations = ReturnType<typeof createEvidenceCitations>;

import type { VerificationBundle } from '../../verification/bundle';
import { verifyBundle, type Verdict } from '../../verification/verify';
import { NotFoundError } from '../errors';

export interface VerificationServiceDeps {
  /** verification/load.ts loadBundle over the API's database. */
  loadBundle(campaignId: string): Promise<VerificationBundle | null>;
}

/**
 * The verdict and the bundle of a published campaign, for anyone: what
 * `npm run verify` checks, over HTTP. Before publication there is nothing to
 * verify, and an unpublished campaign answers as an unknown one does.
 */
export function createVerificationService({ loadBundle }: VerificationServiceDeps) {
  async function publishedBundle(campaignId: string): Promise<VerificationBundle> {
    const bundle = await loadBundle(campaignId);
    if (bundle === null || bundle.chain.published_digest === null) {
      throw new NotFoundError(
        'results_not_published',
        `Kết quả của đợt đánh giá ${campaignId} chưa được công bố`,
        `The results of campaign ${campaignId} are not published`,
      );
    }
    return bundle;
  }
  return {
    async verdict(campaignId: string): Promise<{ bundle: VerificationBundle; verdict: Verdict }> {
      const bundle = await publishedBundle(campaignId);
      return { bundle, verdict: verifyBundle(bundle) };
    },
    bundle: publishedBundle,
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;

import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignStage } from '../domain/stages';

/**
 * Every message of the campaign workflow, defined once and imported by both the
 * workflow and the API so names and payload types cannot drift apart.
 */

export interface CampaignProgress {
  campaignId: string;
  year: number;
  stage: CampaignStage;
  stageLabelVi: string;
  unitCount: number;
  /** True once the read model holds the campaign (the first activity finished). */
  recorded: boolean;
}

export const progressQuery = defineQuery<CampaignProgress>('progress');

/** Resolves once the campaign is in the read model; lets POST /campaigns answer with data a GET will find. */
export const awaitRecordedUpdate = defineUpdate<CampaignProgress>('awaitRecorded');

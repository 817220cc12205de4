import type { CampaignDefinition, Timeline } from '../../domain/campaign';
import type { CampaignStage } from '../../domain/stages';
import type { CampaignProgress, CouncilRound, GuidanceState } from '../../contracts/messages';

export interface CampaignWorkflowInput {
  definition: CampaignDefinition;
  /** Who started the campaign, for the event log. */
  startedBy: string;
  /** Carried across continue-as-new. */
  resume?: CampaignState;
}

export interface CampaignState {
  stage: CampaignStage;
  recorded: boolean;
  timeline: Timeline;
  guidance: GuidanceState;
  unitsStarted: number;
  /** Unit code → the highest aggregation pass it has reported appraised. */
  appraisedPass: Record<string, number>;
  /** Unit code → the pass it must reach before the next aggregation (1 unless returned by the council). */
  requiredPass: Record<string, number>;
  currentPass: number;
  surveyAccepted: boolean;
  aggregationPass: number;
  council: CouncilRound[];
  publication: CampaignProgress['publication'];
  deadlineChanges: number;
  seq: number;
}

export function initialCampaignState(definition: CampaignDefinition): CampaignState {
  return {
    stage: 'guidance',
    recorded: false,
    timeline: { ...definition.timeline },
    guidance: { contributions: [], missingAtPublication: null, publishedAt: null, publishedDocument: null, kickoff: null },
    unitsStarted: 0,
    appraisedPass: {},
    requiredPass: {},
    currentPass: 1,
    surveyAccepted: false,
    aggregationPass: 0,
    council: [],
    publication: null,
    deadlineChanges: 0,
    seq: 0,
  };
}

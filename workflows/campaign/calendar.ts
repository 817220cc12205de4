import { condition, patched } from '@temporalio/workflow';
import type { Timeline } from '../../domain/campaign';
import type { CampaignStage } from '../../domain/stages';
import { waitForDoneOrDeadline } from '../deadline-wait';
import type { CampaignRun } from './run';

/** patched(): a round completed in the workflow task in which its deadline passed moves on by the calendar first. */
const CALENDAR_DEADLINE_WINS_TIES = 'calendar-deadline-wins-ties';

/** The calendar of the main track: at each deadline the campaign shows the next stage. */
const CALENDAR: Partial<Record<CampaignStage, { key: keyof Timeline; next: CampaignStage }>> = {
  self_assessment: { key: 'self_assessment_due', next: 'appraisal_round_1' },
  appraisal_round_1: { key: 'appraisal_round_1_due', next: 'explanations' },
  explanations: { key: 'explanations_due', next: 'appraisal_round_2' },
};

/**
 * From self-assessment to round 2: the campaign shows the calendar's stage
 * until every unit is appraised and the survey accepted, then aggregates. A
 * council return (a later pass) waits for its units alone.
 */
export async function followCalendar(run: CampaignRun): Promise<void> {
  const { state } = run;
  const ready = () => run.allAppraised() && state.surveyAccepted;
  const calendar = CALENDAR[state.stage];
  if (calendar && state.currentPass === 1) {
    // The calendar's boundary is recorded whenever the campaign's clock passed it before it saw the round complete.
    const outcome = await waitForDoneOrDeadline(() => run.deadlineOf(calendar.key), ready, () => patched(CALENDAR_DEADLINE_WINS_TIES));
    if (outcome === 'deadline') {
      await run.setStage(calendar.next, 'system');
      return;
    }
  } else {
    await condition(ready);
  }
  await run.setStage('aggregation', 'system');
}

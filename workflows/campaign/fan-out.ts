import { log } from '@temporalio/workflow';

/**
 * Campaign-wide deadline moves reach the unit workflows in the background
 * (signalling thousands of units takes minutes, and Sở Nội vụ's request would
 * wait for all of it), one move after another, so a unit always ends with the
 * latest. The campaign neither continues as new nor ends while one is under way.
 */
export class UnitFanOut {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly campaignId: string) {}

  /** True when no move is waiting or under way. */
  idle(): boolean {
    return this.pending === 0;
  }

  /** Runs `send` after every move queued before it; a failure is logged, never thrown into the campaign. */
  inOrder(send: () => Promise<unknown>): void {
    this.pending += 1;
    this.tail = this.tail.then(async () => {
      try {
        await send();
      } catch (error) {
        log.error('deadline fan-out to the units failed', { campaignId: this.campaignId, error: String(error) });
      } finally {
        this.pending -= 1;
      }
    });
  }
}

/**
 * P3, the reminder storm (BENCHMARKS.md): every open unit has a reminder due at the
 * same instant; how long until all N have reached an SMTP server, and how many
 * arrived twice (must be 0) — against the raw floor of N timers that each run
 * one activity sending one e-mail, on the same servers. Used by bench/run.ts.
 *
 * The system's storm is made the way Sở Nội vụ would: the campaign's reminder
 * policy is set to one reminder two hours before the self-assessment deadline,
 * and the deadline is moved for every unit so that the reminder falls due at an
 * instant far enough ahead for all N units to re-plan first. Two hours, as in a
 * real campaign where a reminder comes days ahead: no unit's deadline passes
 * while the storm is measured (an overdue transition per unit in the middle of
 * it, with the 30 s used before, was work of its own), and P2's submissions
 * that follow are still on time.
 */
import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { toVietnamIso } from '../domain/deadlines';
import type { SmtpSink } from '../test/integration/reminders-smtp-sink';
import { mapWithConcurrency } from './stack';
import { timerMailWorkflow } from './workflows/timer-mail';

const REMINDER_BEFORE_MS = 2 * 60 * 60 * 1000;
const SYSTEM_DOMAIN = '@unit.bench.par-index.local';
const FLOOR_DOMAIN = '@floor.bench.par-index.local';

export interface StormContext {
  n: number;
  /** An API call as Sở Nội vụ. */
  call: (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>;
  sql: postgres.Sql;
  sink: SmtpSink;
  log: (line: string) => void;
}

export interface StormResult {
  /** How far ahead the common instant was set, so that every timer was armed before it. */
  leadMs: number;
  /**
   * The system only: from the deadline move until every unit showed the new deadline in the read model
   * (null if some never did before the instant). A unit that re-plans after the instant does not send
   * that reminder late, by design, so this must stay below leadMs for the storm to mean anything.
   */
  replannedMs?: number | null;
  /** From the instant until the last of the N first messages arrived (null if some never did). */
  deliveredMs: number | null;
  recipients: number;
  messages: number;
  /** Messages beyond the first per recipient. */
  duplicates: number;
}

/** Enough time for N units to take the deadline change and re-plan before the instant (measured: replannedMs). */
const leadFor = (n: number) => 60_000 + n * 60;

/** Waits until every recipient has a message, then a little longer so that a late duplicate is counted too. */
async function collect(sink: SmtpSink, domain: string, n: number, instant: number, log: StormContext['log']): Promise<Omit<StormResult, 'leadMs'>> {
  const mine = () => sink.received.filter((mail) => mail.to.some((to) => to.endsWith(domain)));
  const deadline = instant + Math.max(180_000, n * 100);
  let lastCount = -1;
  while (Date.now() < deadline) {
    const count = new Set(mine().flatMap((mail) => mail.to)).size;
    if (count >= n) break;
    if (count !== lastCount && count > 0) log(`  ${count}/${n} delivered`);
    lastCount = count;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const messages = mine();
  const firstByRecipient = new Map<string, number>();
  for (const mail of messages) for (const to of mail.to) firstByRecipient.set(to, Math.min(mail.at, firstByRecipient.get(to) ?? Infinity));
  const complete = firstByRecipient.size >= n;
  return {
    deliveredMs: complete ? Math.max(...firstByRecipient.values()) - instant : null,
    recipients: firstByRecipient.size,
    messages: messages.length,
    duplicates: messages.reduce((sum, mail) => sum + mail.to.length, 0) - firstByRecipient.size,
  };
}

async function moveDeadline(ctx: StormContext, campaignId: string, key: string, at: number) {
  const response = await ctx.call('POST', `/campaigns/${campaignId}/deadlines`, { key, deadline: toVietnamIso(at), reason: 'bench P3' });
  if (response.status !== 200) throw new Error(`moving ${key}: ${response.status} ${response.text}`);
}

/** The system: one staff contact per unit, one reminder two hours before a deadline moved for every unit at once. */
export async function systemReminderStorm(ctx: StormContext, campaignId: string, unitCodes: string[]): Promise<StormResult> {
  await ctx.sql`
    insert into unit_contacts (unit_code, name, role, email)
    select code, 'Cán bộ đầu mối CCHC', 'staff', lower(code) || ${SYSTEM_DOMAIN}
    from unnest(${unitCodes}::text[]) as code
    on conflict do nothing`;
  const policy = await ctx.call('PUT', `/campaigns/${campaignId}/reminder-policy`, {
    enabled: true,
    before: [`PT${REMINDER_BEFORE_MS / 1000}S`],
    escalation: { enabled: false },
  });
  if (policy.status !== 200) throw new Error(`reminder policy: ${policy.status} ${policy.text}`);
  const leadMs = leadFor(ctx.n);
  const instant = Date.now() + leadMs;
  const deadline = instant + REMINDER_BEFORE_MS;
  // The timeline keeps its order: the guidance deadline (a day ahead in the bench campaign) goes first, to just
  // before the instant (a busy campaign workflow may take seconds to admit the change, which must still be ahead).
  await moveDeadline(ctx, campaignId, 'guidance_due', instant - 5_000);
  const moveStarted = Date.now();
  await moveDeadline(ctx, campaignId, 'self_assessment_due', deadline);
  ctx.log(`P3: ${ctx.n} reminders due at ${new Date(instant).toISOString()} (in ${((instant - Date.now()) / 1000).toFixed(0)} s)`);
  const replannedMs = await untilEveryUnitShows(ctx, campaignId, deadline, moveStarted, instant);
  ctx.log(
    replannedMs === null
      ? 'P3: not every unit had taken the new deadline at the instant'
      : `P3: every unit took the new deadline ${(replannedMs / 1000).toFixed(1)} s after the move (lead ${(leadMs / 1000).toFixed(0)} s)`,
  );
  const result = await collect(ctx.sink, SYSTEM_DOMAIN, ctx.n, instant, ctx.log);
  return { leadMs, replannedMs, ...result };
}

/** Milliseconds from `since` until the read model shows `deadline` for all N units, or null if not by `instant`. */
async function untilEveryUnitShows(ctx: StormContext, campaignId: string, deadline: number, since: number, instant: number): Promise<number | null> {
  const shown = new Date(Math.floor(deadline / 1000) * 1000); // toVietnamIso keeps whole seconds
  while (Date.now() < instant) {
    const [row] = await ctx.sql`select count(*)::int as n from campaign_units where campaign_id = ${campaignId} and self_assessment_due = ${shown}`;
    if (Number(row?.n ?? 0) >= ctx.n) return Date.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}

/** The floor: N workflows with a timer to one instant, then one activity sending one e-mail. */
export async function floorReminderStorm(ctx: StormContext, client: Client, taskQueue: string, idPrefix: string): Promise<StormResult> {
  const leadMs = leadFor(ctx.n);
  const instant = Date.now() + leadMs;
  await mapWithConcurrency(
    Array.from({ length: ctx.n }, (_, i) => i),
    100,
    (i) => client.workflow.start(timerMailWorkflow, { taskQueue, workflowId: `${idPrefix}/timer-mail-${i}`, args: [instant, `r${i}${FLOOR_DOMAIN}`] }),
  );
  ctx.log(`P3 floor: ${ctx.n} timers due at ${new Date(instant).toISOString()}`);
  return { leadMs, ...(await collect(ctx.sink, FLOOR_DOMAIN, ctx.n, instant, ctx.log)) };
}

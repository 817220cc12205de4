/**
 * What a unit's first workflow task costs the worker, without a server: the
 * first task of recorded unit histories (test/replay/histories/), cut after
 * the commands of their first completed workflow task, replayed R times each
 * in this process on the bundle every worker runs. Prints, per history, the
 * events of that first task (what the server writes for it) and the worker's
 * CPU per first task (this process, every thread: the SDK's sandbox included).
 * The histories take turns, so a machine's drift reaches each alike.
 *
 *   npm run bench:first-task                                  # the defaults below, 2,000 replays each, 3 turns
 *   npm run bench:first-task -- --runs 500 --turns 2 unit-late-with-extension-fan-out-v3.json
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../worker/create-worker';
import { HISTORIES_DIR } from '../test/replay/manifest';
import { ownCpuSeconds, percentile } from './stack';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '2000' }, turns: { type: 'string', default: '3' } },
});
const RUNS = Number(args.runs);
const TURNS = Number(args.turns);
/** A unit opened by the campaign (the policy in its input) with two timers in its first task, and one that rests until its first reminder. */
const DEFAULT_FILES = ['unit-late-with-extension-fan-out-v3.json', 'unit-late-with-extension-rest-until-due.json'];

interface JsonEvent {
  eventType?: string;
  [attributes: string]: unknown;
}

/** The events up to the first completed workflow task and the commands it recorded. */
function firstTaskOf(file: string): { events: JsonEvent[]; commands: JsonEvent[]; workflowId: string } {
  const json = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as { events: JsonEvent[] };
  const completed = json.events.findIndex((event) => event.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
  if (completed < 0) throw new Error(`${file}: no completed workflow task`);
  const completedId = String((json.events[completed] as { eventId: string }).eventId);
  let end = completed + 1;
  while (end < json.events.length && commandOf(json.events[end]!) === completedId) end++;
  const started = json.events[0]!.workflowExecutionStartedEventAttributes as { workflowId?: string } | undefined;
  return { events: json.events.slice(0, end), commands: json.events.slice(completed + 1, end), workflowId: started?.workflowId ?? file };
}

/** The workflow task whose command recorded the event, if a command did. */
function commandOf(event: JsonEvent): string | undefined {
  const key = Object.keys(event).find((name) => name.endsWith('EventAttributes'));
  const attributes = key ? (event[key] as { workflowTaskCompletedEventId?: string }) : undefined;
  return attributes?.workflowTaskCompletedEventId === undefined ? undefined : String(attributes.workflowTaskCompletedEventId);
}

async function replay(bundle: Awaited<ReturnType<typeof bundleWorkflows>>, events: JsonEvent[], workflowId: string, runs: number): Promise<number> {
  const history = historyFromJSON({ events });
  const histories = (async function* () {
    for (let i = 0; i < runs; i++) yield { workflowId: `${workflowId}-${i}`, history };
  })();
  const before = ownCpuSeconds();
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    if (result.error) throw new Error(`${workflowId}: ${result.error.message}`);
  }
  return ((ownCpuSeconds() - before) * 1000) / runs;
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const files = positionals.length > 0 ? positionals : DEFAULT_FILES;
const bundle = await bundleWorkflows();
const firstTasks = files.map((file) => ({ file, ...firstTaskOf(file) }));
for (const { file, events, commands } of firstTasks) {
  const kinds = commands.map((event) => (event.eventType ?? '').replace('EVENT_TYPE_', '').toLowerCase());
  process.stdout.write(`${file}: first task of ${events.length} events (commands: ${kinds.join(', ') || 'none'})\n`);
}
const cpu = new Map<string, number[]>(files.map((file) => [file, []]));
for (const { events, workflowId } of firstTasks) await replay(bundle, events, workflowId, Math.min(RUNS, 200));
for (let turn = 0; turn < TURNS; turn++) {
  for (const { file, events, workflowId } of firstTasks) cpu.get(file)!.push(await replay(bundle, events, workflowId, RUNS));
}
for (const [file, perTask] of cpu) {
  process.stdout.write(`${file}: ${percentile(perTask, 50).toFixed(2)} ms of CPU per first task (median of ${TURNS} turns: ${perTask.map((ms) => ms.toFixed(2)).join(', ')})\n`);
}

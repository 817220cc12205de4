/**
 * How long the server waits for a worker to complete a workflow task of a unit
 * or of the survey before it gives the task to another worker. A worker killed
 * while it holds a task (SIGKILL, OOM: a task in the middle of a local
 * activity, a replay, an update's validation) never answers, and every step
 * sent to that workflow waits until this ends: with Temporal's default, 10 s,
 * that and not the worker's restart set how soon people's steps were answered
 * again after a crash (docs/decisions.md).
 *
 * 4 s: shorter than any worker's restart (a new process: Node, the bundle, the
 * connection) plus 3 s, so a lost task is never what a step waits for once
 * the worker is back; and above the slowest task a live worker took (3.2 s:
 * the first tasks of a freshly started worker, replays of several units at
 * once, on two cores at load 13). A task that does take longer is given to a
 * worker again, not failed. A local activity longer than it (an e-mail waiting
 * for a connection) is no failure either: the SDK renews the task at 80 % of
 * this.
 *
 * Not for the campaign: its history grows with its units (one signal each),
 * and a worker that replays it whole after a crash must finish within the
 * task's timeout, so it keeps the default.
 */
export const STEP_WORKFLOW_TASK_TIMEOUT = '4 seconds';

/**
 * How long the server waits for a worker to complete a workflow task of a unit
 * or of the survey before it gives the task to another worker. A worker killed
 * while it holds a task (SIGKILL, OOM: a task in the middle of a local
 * activity, a replay, an update's validation) never answers, and every step
 * sent to that workflow waits until this ends: with Temporal's default, 10 s,
 * that and not the worker's restart set how soon people's steps were answered
 * again after a crash (docs/decisions.md). Their histories stay short (a few
 * hundred events; a unit continues as new when the server suggests it), so a
 * live worker completes a task well within it; a local activity longer than it (an e-mail
 * waiting for a connection) is no failure: the SDK renews the task at 80 % of
 * this (a heartbeat of the task).
 *
 * Not for the campaign: its history grows with its units (one signal each),
 * and a worker that replays it whole after a crash must finish within the
 * task's timeout, so it keeps the default.
 */
export const STEP_WORKFLOW_TASK_TIMEOUT = '3 seconds';

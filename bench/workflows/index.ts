// Every workflow of the harness's own bench workers (the raw floors, bench:patches' pair), bundled together.
export { finishSignal, noopWorkflow, pingUpdate } from './noop';
export { timerMailWorkflow } from './timer-mail';
export { oneTimerWorkflow, twoPatchesWorkflow } from './patch-cost';
export { submitShapeUpdate, unitShapeWorkflow } from './unit-shape';

// Every workflow of the harness's own bench worker (the raw floors), bundled together.
export { finishSignal, noopWorkflow, pingUpdate } from './noop';
export { timerMailWorkflow } from './timer-mail';

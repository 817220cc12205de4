// The workflow bundle's entry: every workflow type the worker registers.
export { campaignWorkflow } from './campaign';
export { unitWorkflow, unitWorkflowV2 } from './unit';
export { surveyWorkflow } from './survey';
export { reminderDeliveryWorkflow } from './reminders';

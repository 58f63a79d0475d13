/** Lambda entry point of the runbook workflow's finish step (one bundle per function). */
import { stepHandler } from '../step-handler';
import { finishStep } from '../../workflow/runbook/steps';
import { awsRunbookPorts } from './aws-runbook-ports';

export const handler = stepHandler(finishStep, awsRunbookPorts);

/** Lambda entry point of the runbook workflow's send-batch step (one bundle per function). */
import { stepHandler } from '../step-handler';
import { sendBatchStep } from '../../workflow/runbook/steps';
import { awsRunbookPorts } from './aws-runbook-ports';

export const handler = stepHandler(sendBatchStep, awsRunbookPorts);

/** Lambda entry point of the runbook workflow's poll-batch step (one bundle per function). */
import { stepHandler } from '../step-handler';
import { pollBatchStep } from '../../workflow/runbook/steps';
import { awsRunbookPorts } from './aws-runbook-ports';

export const handler = stepHandler(pollBatchStep, awsRunbookPorts);

/** Lambda entry point of the runbook workflow's prepare step (one bundle per function). */
import { stepHandler } from '../step-handler';
import { prepareStep } from '../../workflow/runbook/steps';
import { awsRunbookPorts } from './aws-runbook-ports';

export const handler = stepHandler(prepareStep, awsRunbookPorts);

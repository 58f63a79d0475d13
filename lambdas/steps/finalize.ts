import { finalizeStep } from '../../workflow/steps/finalize';
import { awsStep } from '../aws-step';
import { database } from '../wiring/database';

/** The finalize step's Lambda function, run by its EventBridge Scheduler schedule (not the state machine). */
export const handler = awsStep(finalizeStep, { database });

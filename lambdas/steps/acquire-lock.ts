import { acquireLockStep } from '../../workflow/steps/lock';
import { awsStep } from '../aws-step';
import { lock } from '../wiring/dynamodb';

/** The acquire-lock step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(acquireLockStep, { lock });

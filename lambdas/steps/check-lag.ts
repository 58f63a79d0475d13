import { checkLagStep } from '../../workflow/steps/database';
import { awsStep } from '../aws-step';
import { database } from '../wiring/database';
import { control, lock } from '../wiring/dynamodb';

/** The check-lag step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(checkLagStep, { control, lock, database });

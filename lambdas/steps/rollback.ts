import { rollbackStep } from '../../workflow/steps/rollback';
import { awsStep } from '../aws-step';
import { database } from '../wiring/database';
import { traffic } from '../wiring/route53';

/** The rollback step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(rollbackStep, { traffic, database });

import { checkInSyncStep } from '../../workflow/steps/shift';
import { awsStep } from '../aws-step';
import { control } from '../wiring/dynamodb';
import { traffic } from '../wiring/route53';

/** The check-in-sync step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(checkInSyncStep, { control, traffic });

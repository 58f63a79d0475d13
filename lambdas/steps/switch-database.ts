import { switchDatabaseStep } from '../../workflow/steps/database';
import { awsStep } from '../aws-step';
import { database } from '../wiring/database';
import { control } from '../wiring/dynamodb';
import { traffic } from '../wiring/route53';

/** The switch-database step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(switchDatabaseStep, { control, database, traffic });

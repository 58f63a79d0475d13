import { preflightStep } from '../../workflow/steps/preflight';
import { awsStep } from '../aws-step';
import { database } from '../wiring/database';
import { control } from '../wiring/dynamodb';
import { allowedZones } from '../wiring/environment';
import { healthProbes } from '../wiring/health';
import { traffic } from '../wiring/route53';

/** The preflight step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(preflightStep, { control, allowedZones, traffic, healthProbes, database });

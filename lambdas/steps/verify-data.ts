import { verifyDataStep } from '../../workflow/steps/verify-data';
import { awsStep } from '../aws-step';
import { databaseWithVerifier } from '../wiring/database-verifier';
import { control } from '../wiring/dynamodb';

/** The verify-data step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(verifyDataStep, { control, database: databaseWithVerifier });

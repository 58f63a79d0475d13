import { syncSequencesStep } from '../../workflow/steps/database';
import { awsStep } from '../aws-step';
import { databaseWithVerifier } from '../wiring/database-verifier';
import { control } from '../wiring/dynamodb';

/** The sync-sequences step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(syncSequencesStep, { control, database: databaseWithVerifier });

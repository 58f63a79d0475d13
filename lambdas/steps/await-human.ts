import { awaitHumanStep } from '../../workflow/steps/await-human';
import { awsStep } from '../aws-step';
import { control } from '../wiring/dynamodb';
import { notifier } from '../wiring/sns';

/** The await-human step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(awaitHumanStep, { control, notifier });

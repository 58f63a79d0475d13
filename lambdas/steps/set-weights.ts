import { setWeightsStep } from '../../workflow/steps/shift';
import { awsStep } from '../aws-step';
import { control, lock } from '../wiring/dynamodb';
import { traffic } from '../wiring/route53';

/** The set-weights step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(setWeightsStep, { control, lock, traffic });

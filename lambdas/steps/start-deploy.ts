import { startDeployStep } from '../../workflow/steps/deploy';
import { awsStep } from '../aws-step';
import { deployer } from '../wiring/deploy';
import { control } from '../wiring/dynamodb';

/** The start-deploy step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(startDeployStep, { control, deployer });

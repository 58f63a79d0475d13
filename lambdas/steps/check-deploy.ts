import { checkDeployStep } from '../../workflow/steps/deploy';
import { awsStep } from '../aws-step';
import { deployer } from '../wiring/deploy';
import { control, lock } from '../wiring/dynamodb';

/** The check-deploy step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(checkDeployStep, { control, lock, deployer });

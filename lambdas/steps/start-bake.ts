import { startBakeStep } from '../../workflow/steps/bake';
import { awsStep } from '../aws-step';
import { control } from '../wiring/dynamodb';
import { watcherSchedule } from '../wiring/events';

/** The start-bake step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(startBakeStep, { control, watcherSchedule });

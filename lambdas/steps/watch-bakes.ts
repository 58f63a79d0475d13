import { watchBakesStep } from '../../workflow/steps/bake';
import { awsStep } from '../aws-step';
import { control } from '../wiring/dynamodb';
import { watcherSchedule } from '../wiring/events';
import { healthProbes } from '../wiring/health';
import { traffic } from '../wiring/route53';
import { callbacks } from '../wiring/sfn';

/** The watch-bakes step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(watchBakesStep, {
  control,
  callbacks,
  traffic,
  healthProbes,
  watcherSchedule,
});

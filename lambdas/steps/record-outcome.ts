import { recordOutcomeStep } from '../../workflow/steps/record-outcome';
import { awsStep } from '../aws-step';
import { audit } from '../wiring/dynamodb';
import { finalizeSchedule } from '../wiring/scheduler';
import { notifier } from '../wiring/sns';

/** The record-outcome step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(recordOutcomeStep, { audit, notifier, finalizeSchedule });

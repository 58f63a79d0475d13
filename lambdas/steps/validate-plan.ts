import { validatePlanStep } from '../../workflow/steps/validate-plan';
import { awsStep } from '../aws-step';
import { allowedNotificationTopics, allowedProbeTargets } from '../wiring/environment';

/** The validate-plan step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(validatePlanStep, { allowedProbeTargets, allowedNotificationTopics });

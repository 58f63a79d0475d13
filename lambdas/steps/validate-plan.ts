import { validatePlanStep } from '../../workflow/steps/validate-plan';
import { awsStep } from '../aws-step';

/** The validate-plan step's Lambda function (one bundle per step, carrying only the clients its ports use). */
export const handler = awsStep(validatePlanStep, {});

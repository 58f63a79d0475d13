import type { ExecutionContext } from '../../domain/context/execution-context';
import { resolveExecutionContext } from '../../domain/context/resolve-context';
import { validatePlan } from '../../domain/plan/validate';
import { anything, nonEmpty, object } from '../input';
import { defineStep } from '../step';

const validatePlanInput = object({ plan: anything, execution: nonEmpty });

/** The one step that reads the plan: validates it and resolves the context every later step reads. */
export const validatePlanStep = defineStep({
  name: 'validate-plan',
  access: [],
  input: validatePlanInput,
  async run(ports, input): Promise<ExecutionContext> {
    const { plan } = validatePlan(input.plan, {
      allowedProbeTargets: ports.allowedProbeTargets ?? [],
      ...(ports.allowedNotificationTopics
        ? { allowedNotificationTopics: ports.allowedNotificationTopics }
        : {}),
    });
    return resolveExecutionContext(plan, input.execution);
  },
});

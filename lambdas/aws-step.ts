import type { Ports } from '../workflow/ports';
import type { Step } from '../workflow/step';
import { stepHandler } from './step-handler';
import { wirePorts, type PortWiring } from './wiring/port-wiring';

/** A step's Lambda handler on AWS: the step, with the ports its entry wires, built on first use. */
export function awsStep(step: Step, wiring: PortWiring) {
  let ports: Ports | undefined;
  return stepHandler(step, async () => (ports ??= wirePorts(step.name, wiring)));
}
